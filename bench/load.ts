/**
 * `npm run bench:load`: the real triage handler module as deployed (batches of 10, enrichment from a ChatSync
 * stub, principal context on with a LookupEvents stub), against DynamoDB in a process of its own (dynalite
 * behind bench/dynamo-process.ts: a per-call latency, and every call's consumed capacity summed) and an SNS stub.
 * Three phases, each on its own events:
 * 1. routine: successful ChatSync data events from many principals (most of an account's Q traffic): read and
 *    write units per event;
 * 2. paging: batches of 9 routine events and one HIGH DeleteIndex by a new principal: time to page, from the
 *    invocation (the SQS receipt) to SNS accepting the paging publish, p50/p99; units per paging event;
 * 3. mixed: generated events (bench/generate.ts, 1% duplicates, a burst in the middle): each incident alerted
 *    once, none missing, none twice; units per event.
 * Usage: tsx bench/load.ts [--latency MS] [--routine N] [--pages N] [--events N] [--batch N]
 *        [--answer-ms MS] [--lookup-ms MS] [--sns-ms MS] [--pages-per-hour N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { defaultPolicy } from '../shared/classify/policy';
import { createSelfMatcher } from '../shared/classify/self';
import { systemClock } from '../shared/clock';
import { createLogger } from '../shared/logger';
import { CountingMetrics } from '../shared/metrics';
import { MemoryStateStore } from '../shared/state';
import { createTriage } from '../shared/triage';
import { createStateTable, dynamoClient } from '../test/support/dynalite';
import { startHttpStub } from '../test/support/http-stub';
import { answeringEnvironment, localTriageEnvironment } from '../test/support/lambda-env';
import { publishedMessages, snsPublished } from '../test/support/sns-stub';
import { generateEvents } from './generate';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '5' },
    routine: { type: 'string', default: '2000' },
    pages: { type: 'string', default: '100' },
    events: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '10' },
    'answer-ms': { type: 'string', default: '1500' },
    'lookup-ms': { type: 'string', default: '150' },
    'sns-ms': { type: 'string', default: '20' },
    'pages-per-hour': { type: 'string', default: '1000000' },
  },
});
const latencyMs = Number(values.latency);
const batchSize = Number(values.batch);
const TABLE = 'q-triage-bench-state';
const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-bench-alerts';
const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-bench-paging';
const SELF = 'arn:aws:sts::*:assumed-role/q-triage-*';
const APPLICATION = '3f1b2c4d-0000-4000-8000-000000000001';

interface Units {
  read: number;
  write: number;
  calls: number;
  byOperation: Record<string, { calls: number; units: number }>;
}

function envelope(record: Record<string, unknown>): string {
  const source = record.eventSource === 'q.amazonaws.com' ? 'aws.q' : 'aws.qbusiness';
  return JSON.stringify({
    version: '0',
    id: `eb-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '111122223333',
    time: record.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: record,
  });
}

function identity(user: string, role = 'QUsers'): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEBENCH:${user}`,
    arn: `arn:aws:sts::111122223333:assumed-role/${role}/${user}`,
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLEBENCH',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEBENCH',
        arn: `arn:aws:iam::111122223333:role/${role}`,
        accountId: '111122223333',
        userName: role,
      },
    },
  };
}

/** A successful ChatSync as CloudTrail records the data event. */
function chatSync(index: number, time: number, principals = 400): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: identity(`user${index % principals}`),
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/u, 'Z'),
    eventSource: 'qbusiness.amazonaws.com',
    eventName: 'ChatSync',
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${index % 250}`,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    requestParameters: { applicationId: APPLICATION, userMessage: '***' },
    responseElements: null,
    requestID: `routine-req-${index}`,
    eventID: `routine-${index}-${time}`,
    readOnly: true,
    resources: [
      {
        accountId: '111122223333',
        type: 'AWS::QBusiness::Application',
        ARN: `arn:aws:qbusiness:us-east-1:111122223333:application/${APPLICATION}`,
      },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
  };
}

/** A DeleteIndex (HIGH, pages) by a principal of its own. */
function deleteIndex(index: number, time: number): Record<string, unknown> {
  return {
    ...chatSync(index, time),
    userIdentity: identity(`intruder${index}`, 'LegacyCI'),
    eventName: 'DeleteIndex',
    requestParameters: { applicationId: APPLICATION, indexId: '3f1b2c4d-0000-4000-8000-000000000002' },
    eventID: `page-${index}-${time}`,
    readOnly: false,
    managementEvent: true,
    eventCategory: 'Management',
    resources: undefined,
  };
}

function sqsEvent(records: readonly Record<string, unknown>[], offset: number): SQSEvent {
  return {
    Records: records.map((record, index) => ({
      messageId: `m${offset + index}`,
      receiptHandle: 'r',
      body: envelope(record),
      attributes: {} as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q-triage-bench-buffer',
      awsRegion: 'us-east-1',
    })),
  };
}

async function startDynamoProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'dynamo-process.ts'), String(latencyMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const endpoint = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`dynamo process exited with ${String(code)}`)));
  });
  return { endpoint, child };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const fixed = (value: number, digits = 3): string => value.toFixed(digits);

/** What the pipeline must publish for the mixed phase: the same events through the in-memory engine, batch by batch, with no cap. */
async function expectedAlerts(records: readonly Record<string, unknown>[]): Promise<Set<string>> {
  const ids = new Set<string>();
  const triage = createTriage({
    policy: defaultPolicy(),
    self: createSelfMatcher([SELF]),
    store: new MemoryStateStore(),
    notifier: {
      send: async ({ alert, kind, route }) => {
        if (kind === 'new' && route === 'alerts') ids.add(alert.id);
      },
    },
    clock: systemClock,
    logger: createLogger({ silent: true }),
    metrics: new CountingMetrics(),
    pagesPerHour: 1_000_000,
  });
  for (let start = 0; start < records.length; start += batchSize) {
    await triage.process(
      records
        .slice(start, start + batchSize)
        .map((value, index) => ({ id: `m${start + index}`, value: JSON.parse(envelope(value)) as unknown })),
    );
  }
  return ids;
}

async function main(): Promise<void> {
  const dynamo = await startDynamoProcess();
  const control = async (path: string, method = 'GET'): Promise<Units> => {
    const response = await fetch(`${dynamo.endpoint}${path}`, { method });
    return method === 'GET' ? ((await response.json()) as Units) : { read: 0, write: 0, calls: 0, byOperation: {} };
  };
  const admin = dynamoClient(dynamo.endpoint);
  await createStateTable(admin, TABLE);
  admin.destroy();

  let batchStart = 0;
  const timesToPage: number[] = [];
  const sns = await startHttpStub((request, index) => {
    const [message] = publishedMessages([request]);
    if (message?.topicArn === PAGING && message.document.rule !== 'page-cap')
      timesToPage.push(performance.now() - batchStart);
    return { ...snsPublished(index), delayMs: Number(values['sns-ms']) };
  });
  const qbusiness = await startHttpStub(() => ({
    status: 200,
    delayMs: Number(values['answer-ms']),
    body: JSON.stringify({
      conversationId: 'c-1',
      systemMessageId: 'm-2',
      systemMessage: 'Restore the index from its data sources; review who deleted it and why.',
      sourceAttributions: [],
    }),
  }));
  const cloudtrail = await startHttpStub(() => ({
    status: 200,
    delayMs: Number(values['lookup-ms']),
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Events: [] }),
  }));
  Object.assign(process.env, {
    ...localTriageEnvironment({
      tableName: TABLE,
      dynamoEndpoint: dynamo.endpoint,
      snsEndpoint: sns.endpoint,
      alertsTopicArn: ALERTS,
      pagingTopicArn: PAGING,
      selfPrincipals: SELF,
    }),
    PAGES_PER_HOUR: values['pages-per-hour'],
    ...answeringEnvironment(qbusiness.endpoint, APPLICATION),
    CONTEXT_ENABLED: 'true',
    AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.endpoint,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda would
  const { triageBatch } = require('../functions/triage/handler') as {
    triageBatch: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  };
  const context = { getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  let offset = 0;
  let retried = 0;
  async function run(records: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < records.length; start += batchSize) {
      const batch = records.slice(start, start + batchSize);
      batchStart = performance.now();
      const response = await triageBatch(sqsEvent(batch, offset), context);
      offset += batch.length;
      retried += response.batchItemFailures.length;
    }
  }
  const start = Date.now() - 2 * 3_600_000;
  console.log(
    `DynamoDB: dynalite in its own process, ${latencyMs} ms per call; batches of ${batchSize}; enrichment (ChatSync stub, ${values['answer-ms']} ms) and context (LookupEvents stub, ${values['lookup-ms']} ms) on; SNS stub ${values['sns-ms']} ms`,
  );

  // Warm the container: cold-start loading is bench:coldstart's to measure.
  await run([chatSync(999_999, start - 60_000)]);

  // 1. routine
  const routineCount = Number(values.routine);
  // The last event comes 16 minutes (event time) after the others: the roll-ups the container holds are due
  // and written in this phase, so their units count here.
  const routine = [
    ...Array.from({ length: routineCount - 1 }, (_, i) => chatSync(i, start + i * 250)),
    chatSync(routineCount - 1, start + routineCount * 250 + 16 * 60_000),
  ];
  await control('/__reset', 'POST');
  const routineStart = performance.now();
  await run(routine);
  const routineBatchMs = (performance.now() - routineStart) / Math.ceil(routineCount / batchSize);
  const routineUnits = await control('/__units');
  const routineWrite = routineUnits.write / routineCount;
  const routineRead = routineUnits.read / routineCount;
  console.log(
    `routine ChatSync (${routineCount} events, 400 principals): ${fixed(routineWrite)} WRU + ${fixed(routineRead)} RRU per event (${fixed(routineUnits.calls / routineCount)} calls per event); ${routineBatchMs.toFixed(1)} ms per batch of ${batchSize}`,
  );

  // 2. paging
  const pageCount = Number(values.pages);
  const paging: Record<string, unknown>[] = [];
  const pagingStart = start + routineCount * 250 + 17 * 60_000;
  for (let i = 0; i < pageCount; i += 1) {
    const time = pagingStart + i * 3000;
    for (let j = 0; j < batchSize - 1; j += 1) paging.push(chatSync(routineCount + i * batchSize + j, time + j * 100));
    paging.push(deleteIndex(i, time + (batchSize - 1) * 100));
  }
  await control('/__reset', 'POST');
  timesToPage.length = 0;
  await run(paging);
  const pagingUnits = await control('/__units');
  const routineShare = pageCount * (batchSize - 1);
  const pageWrite = (pagingUnits.write - routineShare * routineWrite) / pageCount;
  const pageRead = (pagingUnits.read - routineShare * routineRead) / pageCount;
  const sorted = [...timesToPage].sort((a, b) => a - b);
  console.log(
    `time to page (${sorted.length} pages of ${pageCount} batches, invocation → paging publish accepted): p50 ${Math.round(percentile(sorted, 50))} ms, p90 ${Math.round(percentile(sorted, 90))} ms, p99 ${Math.round(percentile(sorted, 99))} ms, max ${Math.round(sorted[sorted.length - 1] ?? Number.NaN)} ms; the SQS batching window (maximumBatchingWindow) comes on top`,
  );
  console.log(
    `paging DeleteIndex (HIGH, its incident, page, answer and context): ${fixed(pageWrite, 1)} WRU + ${fixed(pageRead, 1)} RRU per event (routine share of its batches taken out)`,
  );

  // 3. mixed
  const mixed = generateEvents(Number(values.events), {
    duplicateRate: 0.01,
    burstAt: Math.floor(Number(values.events) / 2),
    start: pagingStart + pageCount * 3000 + 60_000,
  });
  const firstRequest = sns.requests.length;
  await control('/__reset', 'POST');
  await run(mixed);
  const mixedUnits = await control('/__units');
  const messages = publishedMessages(sns.requests.slice(firstRequest)).filter((message) => message.topicArn === ALERTS);
  const newIds = messages
    .filter((message) => message.attributes.kind === 'new' && message.document.rule !== 'page-cap')
    .map((message) => String(message.document.alertId));
  const expected = await expectedAlerts(mixed);
  const published = new Set(newIds);
  const twice = newIds.length - published.size;
  const missing = [...expected].filter((id) => !published.has(id)).length;
  const unexpected = [...published].filter((id) => !expected.has(id)).length;
  console.log(
    `mixed (${mixed.length} generated events, 1% duplicates, a burst): ${fixed(mixedUnits.write / mixed.length)} WRU + ${fixed(mixedUnits.read / mixed.length)} RRU per event; ${newIds.length} alerts`,
  );
  console.log(
    `  by operation: ${Object.entries(mixedUnits.byOperation)
      .map(([operation, { calls, units }]) => `${operation} ${calls} calls/${fixed(units, 1)} units`)
      .join(', ')}`,
  );
  const exact = twice === 0 && missing === 0 && unexpected === 0 && retried === 0;
  console.log(
    `check: expected ${expected.size} alerts; published each once: ${twice === 0 ? 'yes' : `no (${twice} twice)`}; missing ${missing}; unexpected ${unexpected}; records retried ${retried} → ${exact ? 'EXACT' : 'MISMATCH'}`,
  );
  console.log(
    `goals: time to page p99 ≤ 2000 ms: ${percentile(sorted, 99) <= 2000 ? 'met' : 'NOT met'}; routine ≤ 0.2 WRU: ${routineWrite <= 0.2 ? 'met' : 'NOT met'}; ≤ 0.1 RRU: ${routineRead <= 0.1 ? 'met' : 'NOT met'}`,
  );

  await Promise.all([sns.close(), qbusiness.close(), cloudtrail.close()]);
  dynamo.child.kill('SIGTERM');
  if (!exact) process.exitCode = 1;
  // The handler's clients keep sockets open.
  setTimeout(() => process.exit(), 100).unref();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
