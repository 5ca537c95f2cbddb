/** `runDoctor` against stubbed accounts. */
import { GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetApplicationCommand } from '@aws-sdk/client-qbusiness';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { runDoctor, worstStatus, type CheckResult } from '../../../shared/doctor';
import { doctorDeps, mocks, readyAccount, TOPIC_ARN } from './accounts';

beforeEach(() => {
  readyAccount();
});

const check = (results: readonly CheckResult[], id: string): CheckResult | undefined =>
  results.find((result) => result.id === id);

test('a ready account passes every check', async () => {
  const results = await runDoctor(doctorDeps());

  expect(results.filter((result) => result.status !== 'PASS')).toEqual([]);
  expect(results.map((result) => result.id)).toEqual([
    'trail-data-events',
    'trail-logging',
    'trail-multi-region',
    'trail-log-validation',
    'trail-kms',
    'event-rule:q-triage-writes',
    'event-rule:q-triage-reads',
    'event-rules-read-only',
    'alerts-subscription',
    'qbusiness-application',
    'playbooks-synced',
  ]);
});

describe('an account whose trail logs no data events', () => {
  beforeEach(() => {
    mocks.cloudTrail
      .on(GetEventSelectorsCommand)
      .resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] });
  });

  test('fails the data-events check', async () => {
    const results = await runDoctor(doctorDeps());

    expect(check(results, 'trail-data-events')?.status).toBe('FAIL');
    expect(worstStatus(results)).toBe('FAIL');
  });

  test('recommends selectors that keep a Management selector beside the Q Business data selectors', async () => {
    const fix = check(await runDoctor(doctorDeps()), 'trail-data-events')?.fix ?? '';

    const json = /--advanced-event-selectors '(.+?)'/.exec(fix)?.[1] ?? '[]';
    const selectors = JSON.parse(json) as { FieldSelectors: { Field: string; Equals: string[] }[] }[];
    const categories = selectors.map(
      (selector) => selector.FieldSelectors.find((field) => field.Field === 'eventCategory')?.Equals[0],
    );
    expect(categories).toContain('Management');
    expect(
      selectors.flatMap((selector) =>
        selector.FieldSelectors.filter((field) => field.Field === 'resources.type').flatMap((field) => field.Equals),
      ),
    ).toEqual([
      'AWS::QBusiness::Application',
      'AWS::QBusiness::DataSource',
      'AWS::QBusiness::Index',
      'AWS::QBusiness::WebExperience',
      'AWS::QBusiness::Integration',
    ]);
    expect(fix).toContain('replaces ALL selectors');
  });
});

test('warns when only some Q Business resource types are logged', async () => {
  mocks.cloudTrail.on(GetEventSelectorsCommand).resolves({
    AdvancedEventSelectors: [
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::QBusiness::Application'] },
        ],
      },
    ],
  });

  const result = check(await runDoctor(doctorDeps()), 'trail-data-events');

  expect(result?.status).toBe('WARN');
  expect(result?.detail).toContain('AWS::QBusiness::Index');
});

describe('an account whose alerts topic has no confirmed subscription', () => {
  beforeEach(() => {
    mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        {
          SubscriptionArn: 'PendingConfirmation',
          Protocol: 'email',
          Endpoint: 'secops@example.com',
          TopicArn: TOPIC_ARN,
        },
      ],
    });
  });

  test('fails the subscription check and counts the pending one', async () => {
    const result = check(await runDoctor(doctorDeps()), 'alerts-subscription');

    expect(result?.status).toBe('FAIL');
    expect(result?.detail).toContain('1 pending confirmation');
  });
});

test('follows the subscription list to its second page', async () => {
  mocks.sns
    .on(ListSubscriptionsByTopicCommand)
    .resolvesOnce({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }], NextToken: 'next' })
    .resolvesOnce({ Subscriptions: [{ SubscriptionArn: `${TOPIC_ARN}:abc` }] });

  expect(check(await runDoctor(doctorDeps()), 'alerts-subscription')?.status).toBe('PASS');
});

test('fails a read-only rule that is merely ENABLED', async () => {
  mocks.eventBridge
    .on(DescribeRuleCommand, { Name: 'q-triage-reads' })
    .resolves({ Name: 'q-triage-reads', State: 'ENABLED', EventPattern: '{"detail":{"readOnly":[true]}}' });

  const results = await runDoctor(doctorDeps());

  expect(check(results, 'event-rule:q-triage-reads')?.status).toBe('FAIL');
  expect(check(results, 'event-rule:q-triage-reads')?.fix).toContain('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  expect(check(results, 'event-rules-read-only')?.status).toBe('WARN');
});

test('fails a disabled rule', async () => {
  mocks.eventBridge
    .on(DescribeRuleCommand, { Name: 'q-triage-writes' })
    .resolves({ Name: 'q-triage-writes', State: 'DISABLED' });

  expect(check(await runDoctor(doctorDeps()), 'event-rule:q-triage-writes')?.status).toBe('FAIL');
});

test('fails a missing rule by its AWS error name', async () => {
  mocks.eventBridge
    .on(DescribeRuleCommand, { Name: 'q-triage-writes' })
    .rejects(Object.assign(new Error('Rule q-triage-writes does not exist'), { name: 'ResourceNotFoundException' }));

  expect(check(await runDoctor(doctorDeps()), 'event-rule:q-triage-writes')?.detail).toBe(
    'Rule q-triage-writes does not exist in this Region.',
  );
});

test('fails a trail that is not logging', async () => {
  mocks.cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });

  expect(check(await runDoctor(doctorDeps()), 'trail-logging')?.status).toBe('FAIL');
});

test('fails a Q Business application that is not ACTIVE', async () => {
  mocks.qbusiness.on(GetApplicationCommand).resolves({ status: 'FAILED' });

  expect(check(await runDoctor(doctorDeps()), 'qbusiness-application')?.status).toBe('FAIL');
});

test('warns when the playbooks were synced longer ago than SYNC_STALE_HOURS', async () => {
  const results = await runDoctor(
    doctorDeps({ readPlaybookVersion: async () => ({ syncedAt: '2026-11-20T12:00:00Z' }) }),
  );

  expect(check(results, 'playbooks-synced')?.status).toBe('WARN');
});

test('passes when the playbooks did not change for days but were checked within SYNC_STALE_HOURS', async () => {
  const results = await runDoctor(
    doctorDeps({
      readPlaybookVersion: async () => ({ syncedAt: '2026-11-20T12:00:00Z', verifiedAt: '2026-11-23T06:00:00Z' }),
    }),
  );

  expect(check(results, 'playbooks-synced')?.status).toBe('PASS');
});

test('warns when the playbooks could not be checked for longer than SYNC_STALE_HOURS', async () => {
  const results = await runDoctor(
    doctorDeps({
      readPlaybookVersion: async () => ({ syncedAt: '2026-11-20T12:00:00Z', verifiedAt: '2026-11-20T12:00:00Z' }),
    }),
  );

  expect(check(results, 'playbooks-synced')?.status).toBe('WARN');
});

test('fails when the playbooks were never synced', async () => {
  expect(
    check(await runDoctor(doctorDeps({ readPlaybookVersion: async () => undefined })), 'playbooks-synced')?.status,
  ).toBe('FAIL');
});
