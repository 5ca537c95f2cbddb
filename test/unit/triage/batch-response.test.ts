import { batchResponse, BatchFailedError } from '../../../shared/runtime/triage';
import type { InputOutcome } from '../../../shared/triage';
import { triageEvent, cloudTrailRecord } from '../../support/cloudtrail';

const event = triageEvent(cloudTrailRecord());
const failed = (id: string): InputOutcome => ({ id, status: 'failed', reason: 'publish: SNS is down', event });
const rejected = (id: string): InputOutcome => ({ id, status: 'rejected', reason: 'not JSON' });

describe('SQS batch response', () => {
  test('only failed records go back to the queue', () => {
    expect(batchResponse([failed('m-1'), rejected('m-2')])).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
  });

  test('every record failed: the invocation fails, so the poller backs off', () => {
    expect(() => batchResponse([failed('m-1'), failed('m-2')])).toThrow(BatchFailedError);
  });

  test('an empty batch is not a failure', () => {
    expect(batchResponse([])).toEqual({ batchItemFailures: [] });
  });
});
