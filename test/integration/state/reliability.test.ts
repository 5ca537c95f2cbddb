/**
 * No alert lost, none twice: the real triage handler module (cold-start config from env, real
 * DynamoDB and SNS clients) against dynalite and an SNS Query-protocol stub over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { DynamoStateStore } from '../../../shared/state/dynamo';
import { systemClock } from '../../../shared/clock';
import { createTriage } from '../../../shared/triage';
import { defaultPolicy } from '../../../shared/classify/policy';
import { createSelfMatcher } from '../../../shared/classify/self';
import { createLogger } from '../../../shared/logger';
import { CountingMetrics } from '../../../shared/metrics';
import { coldStartTriage, type TriageHandler } from '../../support/cold-start';
import { dynamoClient, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { startHttpStub, type HttpStub } from '../../support/http-stub';
import { localTriageEnvironment } from '../../support/lambda-env';
import { recordingNotifier } from '../../support/pipeline';
import { inputs, record } from '../../support/records';
import { publishedMessages, snsError, snsPublished } from '../../support/sns-stub';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const EVENTS = join(__dirname, '../../../events');
const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-test-alerts';
const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-test-paging';

let dynamo: LocalDynamo;
let sns: HttpStub;

function loadSample(name: string): SQSEvent {
  return JSON.parse(readFileSync(join(EVENTS, name), 'utf8')) as SQSEvent;
}

function lambdaContext(remainingMs = 60_000): Context {
  return {
    getRemainingTimeInMillis: () => remainingMs,
    awsRequestId: 'test-request',
    functionName: 'q-triage-test-triage',
  } as unknown as Context;
}

const savedEnv = { ...process.env };

/** Loads functions/triage/handler.ts as Lambda would: a fresh module with this environment (kept until afterEach: the SDK reads it lazily). */
function coldStart(env: Record<string, string> = {}): TriageHandler {
  Object.assign(process.env, {
    ...localTriageEnvironment({
      tableName: dynamo.tableName,
      dynamoEndpoint: dynamo.endpoint,
      snsEndpoint: sns.endpoint,
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      selfPrincipals: 'arn:aws:sts::*:assumed-role/q-triage-*',
    }),
    DEADLINE_RESERVE_MS: '1000',
    ...env,
  });
  return coldStartTriage();
}

beforeEach(async () => {
  dynamo = await startDynamo();
  sns = await startHttpStub((_request, index) => snsPublished(index));
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await sns.close();
  await dynamo.close();
});

describe('triage handler against dynalite and an SNS stub', () => {
  test('a mixed batch: good records alert, bad ones are rejected, none is returned for retry', async () => {
    const handler = coldStart();

    const response = await handler(loadSample('qbusiness/mixed-batch-with-bad-records.json'), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    const messages = publishedMessages(sns.requests);
    expect(messages.map((message) => message.attributes.eventName)).toEqual(['CreateRetriever']);
    expect(messages[0]?.attributes).toMatchObject({
      severity: 'MEDIUM',
      category: 'retriever',
      rule: 'playbook/CreateRetriever',
      account: '111122223333',
    });
  });

  test('the same event delivered 5 times produces one alert', async () => {
    const handler = coldStart();
    const sample = loadSample('qbusiness/create-plugin.json');

    for (let delivery = 0; delivery < 5; delivery += 1) await handler(sample, lambdaContext());

    const alerts = publishedMessages(sns.requests).filter((message) => message.topicArn === ALERTS);
    expect(alerts).toHaveLength(1);
    expect(publishedMessages(sns.requests).filter((message) => message.topicArn === PAGING)).toHaveLength(1);
  });

  test('SNS throttling, then success: one alert, no record returned', async () => {
    sns.setHandler((_request, index) => (index < 2 ? snsError(400, 'Throttling') : snsPublished(index)));
    const handler = coldStart();

    const response = await handler(loadSample('qbusiness/delete-index.json'), lambdaContext());

    expect(response.batchItemFailures).toEqual([]);
    const delivered = publishedMessages(sns.requests.slice(2)).filter((message) => message.topicArn === ALERTS);
    expect(delivered).toHaveLength(1);
  });

  test('SNS down for good: the invocation fails (every record failed), nothing is marked done, and the retry alerts once', async () => {
    sns.setHandler(() => snsError(500, 'InternalError'));
    const handler = coldStart();
    const sample = loadSample('qbusiness/create-data-accessor.json');

    const failed = handler(sample, lambdaContext());
    await expect(failed).rejects.toMatchObject({ name: 'BatchFailedError' });
    sns.setHandler((_request, index) => snsPublished(index));
    const before = sns.requests.length;
    const retried = await handler(sample, lambdaContext());

    expect(retried.batchItemFailures).toEqual([]);
    expect(publishedMessages(sns.requests.slice(before)).filter((message) => message.topicArn === ALERTS)).toHaveLength(
      1,
    );
  });

  test('near the Lambda timeout the records are returned for retry', async () => {
    const handler = coldStart({ DEADLINE_RESERVE_MS: '5000' });
    const sample = loadSample('qbusiness/mixed-batch-with-bad-records.json');

    const response = await handler(sample, lambdaContext(2000));

    expect(response.batchItemFailures.length).toBeGreaterThan(0);
    expect(publishedMessages(sns.requests)).toHaveLength(0);
  });

  test('LOCAL_ADAPTERS (serverless invoke local --stage local): alerts on stdout, no AWS request', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((
      chunk: string | Uint8Array,
      ...rest: unknown[]
    ) => {
      written.push(String(chunk));
      const callback = rest.find((argument): argument is () => void => typeof argument === 'function');
      callback?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      const handler = coldStart({ LOCAL_ADAPTERS: 'true' });

      const response = await handler(loadSample('qbusiness/create-plugin.json'), lambdaContext());

      expect(response.batchItemFailures).toEqual([]);
      expect(JSON.parse(written.join('').trim())).toMatchObject({
        type: 'alert',
        rule: 'playbook/CreatePlugin',
        severity: 'HIGH',
      });
      expect(sns.requests).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });

  test('a bad deployment fails at cold start with the name of the setting', () => {
    expect(() => coldStart({ ALERTS_TOPIC_ARN: 'not-an-arn' })).toThrow(/ALERTS_TOPIC_ARN/);
  });
});

describe('DynamoDB state under concurrency and faults', () => {
  function instance(documents: DynamoDBDocumentClient) {
    const notifier = recordingNotifier();
    const triage = createTriage({
      policy: defaultPolicy(),
      self: createSelfMatcher([]),
      store: new DynamoStateStore({ client: documents, tableName: dynamo.tableName, clock: systemClock }),
      notifier,
      clock: systemClock,
      logger: createLogger({ silent: true }),
      metrics: new CountingMetrics(),
    });
    return { triage, notifier };
  }

  const documentsFor = (endpoint: string, maxAttempts = 3): DynamoDBDocumentClient =>
    DynamoDBDocumentClient.from(dynamoClient(endpoint, maxAttempts), {
      marshallOptions: { removeUndefinedValues: true },
    });

  test('two concurrent instances on the same burst produce one alert for the actor, headed by the burst, and one page', async () => {
    const a = instance(documentsFor(dynamo.endpoint));
    const b = instance(documentsFor(dynamo.endpoint));
    const principal = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';
    const deletes = Array.from({ length: 40 }, (_, i) =>
      record({ eventName: 'BatchDeleteDocument', principal, second: i * 3 }),
    );

    await Promise.all([
      a.triage.process(inputs(deletes.filter((_, i) => i % 2 === 0))),
      b.triage.process(inputs(deletes.filter((_, i) => i % 2 === 1))),
    ]);

    const all = [...a.notifier.messages, ...b.notifier.messages];
    const newAlerts = all.filter((message) => message.kind === 'new');
    expect(newAlerts).toHaveLength(1);
    // Whichever container opened the incident, the burst ends up heading it: an update (the rise) or the first alert.
    expect(all.some((message) => message.alert.rule === 'bulk-delete' && message.alert.paged)).toBe(true);
    expect([...a.notifier.pages, ...b.notifier.pages]).toHaveLength(1);
  });

  test('two concurrent instances given the same event alert once', async () => {
    const a = instance(documentsFor(dynamo.endpoint));
    const b = instance(documentsFor(dynamo.endpoint));
    const event = record({ eventName: 'CreatePlugin', eventId: 'shared-event' });

    await Promise.all([a.triage.process(inputs([event])), b.triage.process(inputs([event]))]);

    const newAlerts = [...a.notifier.messages, ...b.notifier.messages].filter((message) => message.kind === 'new');
    expect(newAlerts).toHaveLength(1);
  });

  test('an event past the aggregation window opens a new incident', async () => {
    const a = instance(documentsFor(dynamo.endpoint));

    await a.triage.process(inputs([record({ eventName: 'DeleteIndex', second: 0 })]));
    await a.triage.process(inputs([record({ eventName: 'DeleteIndex', second: 120 })]));
    await a.triage.process(inputs([record({ eventName: 'DeleteIndex', second: 600 })]));

    expect(a.notifier.messages.map((message) => message.kind)).toEqual(['new', 'update', 'new']);
  });

  test('a principal whose key is longer than a DynamoDB partition key allows still gets its incidents and bursts', async () => {
    // dynalite does not enforce DynamoDB's 2,048-byte partition key limit: every key sent is measured here.
    const documents = documentsFor(dynamo.endpoint);
    const keys: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      for (const [name, inner] of Object.entries(value)) {
        if ((name === 'pk' || name === ':pk') && typeof inner === 'string') keys.push(inner);
        else collect(inner);
      }
    };
    documents.middlewareStack.add((next) => async (args) => (collect(args.input), next(args)), { step: 'initialize' });
    const a = instance(documents);
    // 990 three-byte characters: within the schema's 1,024-character ARN bound, 2,970 bytes in a key.
    const principal = `arn:aws:iam::111122223333:user/${'東'.repeat(990)}`;
    const deletes = Array.from({ length: 24 }, (_, i) =>
      record({ eventName: 'BatchDeleteDocument', principal, second: i * 3 }),
    );

    const first = await a.triage.process(inputs(deletes.slice(0, 21)));
    const second = await a.triage.process(inputs(deletes.slice(21)));

    expect([...first.outcomes, ...second.outcomes].map((outcome) => outcome.status)).toEqual(
      Array<string>(24).fill('alerted'),
    );
    // One actor incident; the follow-up batch comes within the update interval, so its update is held back.
    expect(a.notifier.messages.map(({ kind, alert }) => `${kind} ${alert.rule} ${alert.count}`)).toEqual([
      'new bulk-delete 21',
    ]);
    expect(keys.filter((key) => key.startsWith('incident#') || key.startsWith('burst#')).length).toBeGreaterThan(0);
    expect(Math.max(...keys.map((key) => Buffer.byteLength(key)))).toBeLessThanOrEqual(2048);
  });

  test('DynamoDB throttling is retried by the client: the alert still goes out once', async () => {
    let throttled = 0;
    const proxy = await startHttpStub(async (request) => {
      if (throttled < 3) {
        throttled += 1;
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'Rate exceeded',
          }),
        };
      }
      const response = await fetch(dynamo.endpoint, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(
            ([name]) => name.startsWith('x-amz') || name === 'content-type' || name === 'authorization',
          ),
        ) as Record<string, string>,
        body: request.body,
      });
      return {
        status: response.status,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: await response.text(),
      };
    });
    try {
      const a = instance(documentsFor(proxy.endpoint, 5));

      const { outcomes } = await a.triage.process(inputs([record({ eventName: 'DeleteApplication' })]));

      expect(throttled).toBe(3);
      expect(outcomes[0]?.status).toBe('alerted');
      expect(a.notifier.messages).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
