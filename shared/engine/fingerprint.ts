/**
 * De-duplication by content, not by id alone: an eventID is a key the record carries, so a forged record can
 * reuse a real one's. Two records are the same event when their ids and the fields AWS writes agree.
 */
import { hash } from 'node:crypto';
import type { AlertSubject } from '../alerts/builder';
import { CATEGORY_INFO } from '../playbook/categories';
import type { TriageEvent } from '../events';

/** A digest of the fields CloudTrail writes for a call: a redelivery has the same, a forged copy does not. */
export function contentDigest(event: TriageEvent): string {
  const fields = [
    event.eventTime,
    event.eventSource,
    event.eventName,
    event.principal.key,
    event.account,
    event.region,
    event.eventCategory,
    event.errorCode ?? '',
    event.sourceIp ?? '',
    event.userAgent ?? '',
    event.readOnly === undefined ? '' : String(event.readOnly),
  ];
  // The one-shot hash: a third of createHash's cost per event in replay.
  return hash('sha256', fields.join('\u0000'), 'hex').slice(0, 32);
}

export const EVENT_ID_REUSED_RULE = 'event-id-reused';

/**
 * The LOW alert raised when an eventID comes back with other content; both records are its evidence, or only
 * the later one when the first was not kept (replay keeps the content of informational records as a digest only).
 */
export function eventIdReusedSubject(firstRecordKept = true): AlertSubject {
  return {
    rule: EVENT_ID_REUSED_RULE,
    severity: 'LOW',
    category: 'general',
    phase: 'detection-analysis',
    title: 'eventID reused with different content',
    description: `Two records carry one eventID with different content. CloudTrail gives each event its own id: one of them was not written by CloudTrail, or was changed on the way. Both are triaged; ${
      firstRecordKept
        ? 'compare the two samples.'
        : 'the first record was below LOW, so only its digest was kept: find it in the logs by this eventID.'
    }`,
    steps: CATEGORY_INFO.general.steps,
    reasons: ['de-duplication: the eventID was seen with other content'],
  };
}
