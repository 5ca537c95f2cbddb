/**
 * When an alert's principal looks like it is using stolen credentials, so that the answer starts from the
 * compromised-credentials playbook. Only fields CloudTrail writes are read: the alert's rule (decided from
 * `errorCode` counts by the burst engine) and the principal's `userIdentity.type`. Never the caller's text.
 *
 * - `auth-failures`: one principal denied again and again across Amazon Q operations within minutes is
 *   probing what a key can do, the usual first move with a stolen key.
 * - `Root`: the root user should not call Amazon Q at all; the compromised-credentials playbook covers root.
 *
 * Not a signal: one denied call (a missing permission is far more common), and "denied, then the same write
 * succeeded" inside one incident: incidents are per principal and operation, so that is a retry after a
 * permission fix, and the answer is chosen once, with the incident's first message.
 */
import type { Alert } from '../alerts/model';
import type { BurstRuleId } from '../classify/policy';

/** Rules that count authorization failures of one principal. */
export const STOLEN_CREDENTIAL_RULES: ReadonlySet<string> = new Set(['auth-failures' satisfies BurstRuleId]);
/** `userIdentity.type` values whose use of Amazon Q is itself a sign. */
export const STOLEN_CREDENTIAL_IDENTITY_TYPES: ReadonlySet<string> = new Set(['Root']);

export function credentialsLookStolen(
  alert: Pick<Alert, 'rule'> & { readonly principal?: Pick<Alert['principal'], 'type'> },
): boolean {
  return (
    STOLEN_CREDENTIAL_RULES.has(alert.rule) ||
    (alert.principal !== undefined && STOLEN_CREDENTIAL_IDENTITY_TYPES.has(alert.principal.type))
  );
}
