/** The scheduled readiness check: alert once when a check regresses from PASS. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { fixedClock } from '../../../shared/clock';
import { findRegressions, MemoryReadinessStore, runReadinessCheck, type CheckResult } from '../../../shared/doctor';
import { createLogger } from '../../../shared/logger';
import { doctorDeps, mocks, NOW, readyAccount, TOPIC_ARN } from './accounts';

beforeEach(() => {
  readyAccount();
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const result = (id: string, status: CheckResult['status']): CheckResult => ({
  id,
  status,
  detail: `${id} detail`,
  fix: status === 'PASS' ? '' : `${id} fix`,
});
const run = (store: MemoryReadinessStore) =>
  runReadinessCheck({
    doctor: doctorDeps(),
    store,
    sns: new SNSClient({ region: 'us-east-1' }),
    alertsTopicArn: TOPIC_ARN,
    clock: fixedClock(NOW),
    logger: createLogger({ silent: true }),
  });

test('a PASS that became FAIL or WARN is a regression; a check seen for the first time is not', () => {
  const regressions = findRegressions(
    [result('a', 'PASS'), result('b', 'PASS'), result('c', 'WARN')],
    [result('a', 'FAIL'), result('b', 'WARN'), result('c', 'FAIL'), result('d', 'FAIL')],
  );

  expect(regressions.map((regression) => `${regression.id}:${regression.to}`)).toEqual(['a:FAIL', 'b:WARN']);
});

test('publishes nothing on the first run', async () => {
  await run(new MemoryReadinessStore());

  expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(0);
});

test('publishes a MEDIUM readiness alert when data events stop being logged', async () => {
  const store = new MemoryReadinessStore();
  await run(store);
  mocks.cloudTrail
    .on(GetEventSelectorsCommand)
    .resolves({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] });

  await run(store);

  const input = mocks.sns.commandCalls(PublishCommand)[0]?.args[0].input;
  expect(input?.TopicArn).toBe(TOPIC_ARN);
  expect(input?.MessageAttributes).toEqual({
    severity: { DataType: 'String', StringValue: 'MEDIUM' },
    category: { DataType: 'String', StringValue: 'readiness' },
    rule: { DataType: 'String', StringValue: 'readiness-regression' },
  });
  expect(input?.Message).toContain('trail-data-events: PASS -> FAIL');
});

test('does not alert again while the check stays failed', async () => {
  const store = new MemoryReadinessStore();
  await run(store);
  mocks.cloudTrail.on(GetEventSelectorsCommand).resolves({ AdvancedEventSelectors: [] });
  await run(store);

  await run(store);

  expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1);
});
