/**
 * User rules file (`--rules FILE`, `RULES_JSON`): JSON or YAML that overrides thresholds, severities and
 * rows of the playbook table. Validated with zod; errors name the line of the offending value.
 */
import * as z from 'zod/mini';
import { describeIssues } from '../events';
import { ACCESS_KINDS, CATEGORIES, EVENT_SOURCES, PHASES, SEVERITIES, type PlaybookRow } from '../playbook/types';
import { once } from '../lazy';
import { BURST_RULE_IDS, rowKey, type BurstRule, type Policy } from './policy';
import { errorMessage, QTriageError } from '../errors';

/** Built on first use: most deployments set no RULES_JSON, and the cold start should not pay for it. */
const rulesFileSchema = once(() => {
  const severity = z.enum(SEVERITIES);
  const positiveMinutes = z.number().check(z.positive(), z.lte(24 * 60));

  const burstOverride = z.strictObject({
    threshold: z.optional(z.int().check(z.positive())),
    severity: z.optional(severity),
    operations: z.optional(z.array(z.string().check(z.minLength(1)))),
  });

  const rowOverride = z.strictObject({
    eventSource: z.optional(z.enum(EVENT_SOURCES)),
    eventName: z.string().check(z.minLength(1), z.maxLength(128)),
    category: z.optional(z.enum(CATEGORIES)),
    severity: z.optional(severity),
    phase: z.optional(z.enum(PHASES)),
    access: z.optional(z.enum(ACCESS_KINDS)),
    description: z.optional(z.string().check(z.minLength(1))),
    steps: z.optional(z.array(z.strictObject({ text: z.string().check(z.minLength(1)), link: z.optional(z.url()) }))),
  });

  return z.strictObject({
    burstWindowMinutes: z.optional(positiveMinutes),
    aggregationWindowMinutes: z.optional(positiveMinutes),
    maxIncidentMinutes: z.optional(positiveMinutes),
    bursts: z.optional(z.partialRecord(z.enum(BURST_RULE_IDS), burstOverride)),
    rows: z.optional(z.array(rowOverride)),
  });
});

export type RulesFile = z.infer<ReturnType<typeof rulesFileSchema>>;

export class RulesFileError extends QTriageError {
  override readonly name = 'RulesFileError';
}

/**
 * Validates an already-parsed rules document. Each issue is described by `locate`, which the YAML reader
 * (shared/classify/rules-file.ts) uses to name the line; the Lambda's RULES_JSON names the path only.
 */
export function validateRules(
  document: unknown,
  name: string,
  locate: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): RulesFile {
  // An empty or comments-only file overrides nothing.
  const parsed = rulesFileSchema().safeParse(document ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const where = issue.path.length > 0 ? ` in ${issue.path.join('.')}` : '';
      return `${name}:${locate([...issue.path, key]) ?? 1}: unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${where}`;
    }
    return `${name}:${locate(issue.path) ?? 1}: ${describeIssues([issue])}`;
  });
  throw new RulesFileError(messages.join('\n'));
}

/** `RULES_JSON` in the Lambda: JSON only, so the function bundle carries no YAML parser. */
export function parseRulesJson(text: string, name: string): RulesFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RulesFileError(`${name}: not valid JSON (${errorMessage(error).slice(0, 120)})`);
  }
  return validateRules(document, name);
}

/** Applies a validated rules file to a policy. A row for an unknown operation must be complete. */
export function applyRules(policy: Policy, rules: RulesFile, name = 'rules'): Policy {
  const rows = new Map(policy.rows);
  for (const override of rules.rows ?? []) {
    const eventSource = override.eventSource ?? 'qbusiness.amazonaws.com';
    const key = rowKey(eventSource, override.eventName);
    const existing = rows.get(key);
    if (
      existing === undefined &&
      (override.category === undefined || override.severity === undefined || override.description === undefined)
    ) {
      throw new RulesFileError(
        `${name}: row ${override.eventName} is not in the playbook table, so it needs category, severity and description`,
      );
    }
    const merged: PlaybookRow = {
      eventSource,
      eventName: override.eventName,
      category: override.category ?? existing?.category ?? 'unclassified',
      description: override.description ?? existing?.description ?? '',
      severity: override.severity ?? existing?.severity ?? 'LOW',
      phase: override.phase ?? existing?.phase ?? 'detection-analysis',
      access: override.access ?? existing?.access ?? 'write',
      steps: override.steps ?? existing?.steps ?? [],
      inPlaybook: existing?.inPlaybook ?? false,
    };
    rows.set(key, merged);
  }
  const bursts: BurstRule[] = policy.bursts.map((rule) => {
    const override = rules.bursts?.[rule.id];
    return override === undefined
      ? rule
      : {
          ...rule,
          threshold: override.threshold ?? rule.threshold,
          severity: override.severity ?? rule.severity,
          operations: override.operations ?? rule.operations,
        };
  });
  const minutes = (value: number | undefined, fallback: number): number =>
    value === undefined ? fallback : value * 60_000;
  return {
    rows,
    bursts,
    burstWindowMs: minutes(rules.burstWindowMinutes, policy.burstWindowMs),
    aggregationWindowMs: minutes(rules.aggregationWindowMinutes, policy.aggregationWindowMs),
    maxIncidentMs: minutes(rules.maxIncidentMinutes, policy.maxIncidentMs),
  };
}
