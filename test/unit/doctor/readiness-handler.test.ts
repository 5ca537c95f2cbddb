/** The readiness Lambda: configuration at cold start, previous result read from and written to the state table. */
import { GetCommand, PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { mocks, readyAccount, TOPIC_ARN } from './accounts';

const dynamo = mockClient(DynamoDBDocumentClient);
const ENV = {
  STATE_TABLE: 'q-triage-state',
  ALERTS_TOPIC_ARN: TOPIC_ARN,
  EVENT_RULE_NAMES: 'q-triage-writes,q-triage-reads',
  QBUSINESS_APPLICATION_ID: 'app-1',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
const scheduled = {
  id: 'sched-1',
  account: '111122223333',
  region: 'us-east-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  time: '2026-11-23T12:00:00Z',
  resources: [],
  detail: {},
  version: '0',
} as unknown as ScheduledEvent;

type ReadinessModule = typeof import('../../../functions/readiness/handler');
/** A fresh module registry: a whole new cold start, SDK included (so only for start-up failures). */
function coldStart(env: Record<string, string>): ReadinessModule {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let loaded: ReadinessModule | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('../../../functions/readiness/handler') as ReadinessModule;
    });
    return loaded as ReadinessModule;
  } finally {
    process.env = saved;
  }
}

/** The handler loaded once in this registry, so the SDK mocks above apply to its clients. */
function loadHandler(): ReadinessModule {
  const saved = { ...process.env };
  Object.assign(process.env, ENV);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../../functions/readiness/handler') as ReadinessModule;
  } finally {
    process.env = saved;
  }
}

beforeEach(() => {
  readyAccount();
  dynamo.reset();
  dynamo
    .on(GetCommand, { Key: { pk: 'playbook#version', sk: 'current' } })
    .resolves({ Item: { pk: 'playbook#version', sk: 'current', version: 'v1', syncedAt: new Date().toISOString() } });
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

test('fails at cold start without STATE_TABLE', () => {
  expect(() => coldStart({ ...ENV, STATE_TABLE: '' })).toThrow('STATE_TABLE');
});

test('stores the result under pk=readiness, sk=last', async () => {
  dynamo.on(GetCommand, { Key: { pk: 'readiness', sk: 'last' } }).resolves({});

  await loadHandler().readiness(scheduled);

  const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
  expect(put?.Item?.pk).toBe('readiness');
  expect(put?.Item?.sk).toBe('last');
});

test('publishes when a check that passed last time fails now', async () => {
  dynamo.on(GetCommand, { Key: { pk: 'readiness', sk: 'last' } }).resolves({
    Item: {
      pk: 'readiness',
      sk: 'last',
      results: [{ id: 'alerts-subscription', status: 'PASS', detail: 'ok', fix: '' }],
    },
  });
  mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });

  const outcome = await loadHandler().readiness(scheduled);

  expect(outcome.regressed).toEqual(['alerts-subscription']);
  expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1);
});
