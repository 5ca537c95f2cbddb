/**
 * Issue 19's three stories, one actor each, as CloudTrail records: what a SOC must receive for each is asserted
 * in replay and through the engine (test/unit/triage/stories.test.ts) and through the deployed handler wiring
 * (test/integration/triage/stories.test.ts).
 */
import { record } from './records';

export const ATTACKER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';
export const ADMIN = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

/** Denied probing over six operations (12 calls: the auth-failures burst at the 10th), then CreatePlugin, then AssociatePermission. */
export const recon = (): Record<string, unknown>[] => [
  ...['ListApplications', 'GetApplication', 'ListIndices', 'ListPlugins', 'ListDataSources', 'ListRetrievers'].flatMap(
    (eventName, i) => [
      record({ eventName, principal: ATTACKER, second: i * 4, errorCode: 'AccessDeniedException' }),
      record({ eventName, principal: ATTACKER, second: i * 4 + 2, errorCode: 'AccessDeniedException' }),
    ],
  ),
  record({ eventName: 'CreatePlugin', principal: ATTACKER, second: 60 }),
  record({ eventName: 'AssociatePermission', principal: ATTACKER, second: 120 }),
];

/** An admin standing up an application. */
export const setup = (): Record<string, unknown>[] =>
  [
    'CreateApplication',
    'CreateIndex',
    'CreateRetriever',
    'CreateDataSource',
    'CreateDataSource',
    'CreateWebExperience',
  ].map((eventName, i) => record({ eventName, principal: ADMIN, second: i * 30 }));

/** An admin deleting an application's pieces. */
export const decommission = (): Record<string, unknown>[] =>
  [
    'DeleteWebExperience',
    'DeleteDataSource',
    'DeleteDataSource',
    'DeleteRetriever',
    'DeleteIndex',
    'DeleteApplication',
  ].map((eventName, i) => record({ eventName, principal: ADMIN, second: i * 30 }));

export const STORIES = [
  ['recon then escalate', recon],
  ['admin setup', setup],
  ['decommission', decommission],
] as const;

/** Operation → number of calls in a story: what its alert must name. */
export function operationCounts(story: readonly Record<string, unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of story) counts[String(event.eventName)] = (counts[String(event.eventName)] ?? 0) + 1;
  return counts;
}

/** Splits a story into batches of `size`, as SQS would hand them to the Lambda. */
export const batches = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
