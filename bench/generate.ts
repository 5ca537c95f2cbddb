/**
 * Deterministic generator of CloudTrail records for the benchmarks: a realistic mix of Q Business and
 * Q Developer calls from many principals, in time order, with optional duplicates and a delete burst.
 */
import { PLAYBOOK_TABLE } from '../shared/playbook/table';

export interface GenerateOptions {
  /** Fraction of records that repeat an earlier record's eventID (EventBridge/CloudTrail redelivery). */
  readonly duplicateRate?: number;
  /** Index at which one principal starts a 30-event BatchDeleteDocument burst. */
  readonly burstAt?: number;
  readonly principals?: number;
  readonly start?: number;
  /** Mean milliseconds between events. */
  readonly spacingMs?: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same options always give the same log. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mostly reads and chat, as in a real account; writes and deletes are rare.
const COMMON = PLAYBOOK_TABLE.filter((row) => row.severity === 'INFORMATIONAL');
const RARE = PLAYBOOK_TABLE.filter((row) => row.severity !== 'INFORMATIONAL');

export function generateEvents(count: number, options: GenerateOptions = {}): Record<string, unknown>[] {
  return [...eventStream(count, options)];
}

/** The same records one at a time: a million of them need not be in memory at once (only duplicates keep earlier ones). */
export function* eventStream(count: number, options: GenerateOptions = {}): Generator<Record<string, unknown>> {
  const next = random(20261120);
  const start = options.start ?? Date.parse('2026-11-20T00:00:00Z');
  const spacing = options.spacingMs ?? 250;
  const principals = options.principals ?? 400;
  const burstAt = options.burstAt ?? -1;
  const keep = (options.duplicateRate ?? 0) > 0;
  const records: Record<string, unknown>[] = [];
  let time = start;
  for (let index = 0; index < count; index += 1) {
    time += Math.floor(next() * spacing * 2);
    if (index > 0 && next() < (options.duplicateRate ?? 0)) {
      yield records[Math.floor(next() * records.length)] as Record<string, unknown>;
      continue;
    }
    const inBurst = burstAt >= 0 && index >= burstAt && index < burstAt + 30;
    const row = inBurst
      ? PLAYBOOK_TABLE.find((candidate) => candidate.eventName === 'BatchDeleteDocument')
      : next() < 0.93
        ? COMMON[Math.floor(next() * COMMON.length)]
        : RARE[Math.floor(next() * RARE.length)];
    if (row === undefined) throw new Error('playbook table has no rows');
    const principalNumber = inBurst ? 7 : Math.floor(next() * principals);
    const self = !inBurst && next() < 0.03;
    const role = self ? 'q-triage-prod-triage' : `Team${principalNumber % 40}Role`;
    const session = self ? 'q-triage-prod-triage' : `user${principalNumber}`;
    const denied = !inBurst && !self && next() < 0.01;
    const data = row.eventSource === 'qbusiness.amazonaws.com' && row.access !== 'write' && next() < 0.5;
    const record: Record<string, unknown> = {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE${principalNumber}:${session}`,
        arn: `arn:aws:sts::111122223333:assumed-role/${role}/${session}`,
        accountId: '111122223333',
        accessKeyId: `ASIAEXAMPLE${principalNumber}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: `AROAEXAMPLE${principalNumber}`,
            arn: `arn:aws:iam::111122223333:role/${role}`,
            accountId: '111122223333',
            userName: role,
          },
          attributes: { creationDate: new Date(time - 600_000).toISOString(), mfaAuthenticated: 'false' },
        },
      },
      eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: row.eventSource,
      eventName: row.eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: `198.51.100.${principalNumber % 250}`,
      userAgent: 'aws-sdk-js/3.1050.0 ua/2.1 os/linux lang/js md/nodejs#22.12.0',
      ...(denied
        ? { errorCode: 'AccessDeniedException', errorMessage: 'User is not authorized to perform this action' }
        : {}),
      requestParameters: {
        applicationId: '3f1b2c4d-0000-4000-8000-000000000001',
        ...(row.category === 'index' || row.category === 'document'
          ? { indexId: '3f1b2c4d-0000-4000-8000-000000000002' }
          : {}),
      },
      responseElements: null,
      requestID: `req-${index}`,
      eventID: `bench-${index.toString(36)}-${Math.floor(next() * 1e9).toString(36)}`,
      readOnly: row.access !== 'write',
      eventType: 'AwsApiCall',
      managementEvent: !data,
      recipientAccountId: '111122223333',
      eventCategory: data ? 'Data' : 'Management',
      ...(data
        ? {
            resources: [
              {
                accountId: '111122223333',
                type: 'AWS::QBusiness::Application',
                ARN: 'arn:aws:qbusiness:us-east-1:111122223333:application/3f1b2c4d-0000-4000-8000-000000000001',
              },
            ],
          }
        : {}),
    };
    if (keep) records.push(record);
    yield record;
  }
}
