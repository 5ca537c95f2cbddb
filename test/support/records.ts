/** Minimal CloudTrail records for pipeline tests (test/support/cloudtrail.ts has the full builders). */
import { T0 } from './pipeline';

let sequence = 0;

export interface RecordOptions {
  readonly eventName: string;
  readonly principal?: string;
  readonly identityType?: string;
  readonly second?: number;
  readonly errorCode?: string;
  readonly eventSource?: string;
  readonly eventId?: string;
}

export function record(options: RecordOptions): Record<string, unknown> {
  sequence += 1;
  const principal = options.principal ?? 'arn:aws:sts::111122223333:assumed-role/Analyst/alice';
  return {
    eventVersion: '1.09',
    eventID: options.eventId ?? `evt-${options.eventName}-${sequence}`,
    eventName: options.eventName,
    eventSource: options.eventSource ?? 'qbusiness.amazonaws.com',
    eventTime: new Date(T0 + (options.second ?? 0) * 1000).toISOString().replace('.000Z', 'Z'),
    awsRegion: 'us-east-1',
    recipientAccountId: '111122223333',
    userIdentity: {
      type: options.identityType ?? 'AssumedRole',
      arn: principal,
      accountId: '111122223333',
      principalId: 'AROAEXAMPLE:alice',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: principal.replace(/:sts::(\d+):assumed-role\/([^/]+)\/.*/, ':iam::$1:role/$2'),
        },
      },
    },
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.17.0',
    ...(options.errorCode === undefined ? {} : { errorCode: options.errorCode, errorMessage: 'not authorized' }),
    eventType: 'AwsApiCall',
    eventCategory: 'Management',
    managementEvent: true,
  };
}

export const inputs = (records: readonly Record<string, unknown>[]) =>
  records.map((value, index) => ({ id: `msg-${index}`, value }));
