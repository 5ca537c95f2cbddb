/**
 * `npm run bench:load`: generated events through the real triage handler module, in process, against
 * dynalite (DynamoDB protocol) and an SNS stub over HTTP, with 1% duplicates and a burst in the middle.
 * Checks that the alerts published are exactly the expected ones: each incident once, none missing, none twice;
 * and, with the page cap on (PAGES_PER_HOUR, default 20), that no hour of sending has more pages than the cap
 * and more than one cap summary.
 * Usage: tsx bench/load.ts [--events N] [--batch N] [--pages-per-hour N]
 */
import { parseArgs } from 'node:util';
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { defaultPolicy } from '../shared/classify/policy';
import { createSelfMatcher } from '../shared/classify/self';
import { systemClock } from '../shared/clock';
import { createLogger } from '../shared/logger';
import { CountingMetrics } from '../shared/metrics';
import { MemoryStateStore } from '../shared/state';
import { createTriage } from '../shared/triage';
import { startDynamo } from '../test/support/dynalite';
import { startHttpStub } from '../test/support/http-stub';
import { localTriageEnvironment } from '../test/support/lambda-env';
import { publishedMessages, snsPublished } from '../test/support/sns-stub';
import { generateEvents } from './generate';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, batch: { type: 'string', default: '100' }, 'pages-per-hour': { type: 'string', default: '20' } } });
const total = Number(values.events);
const batchSize = Number(values.batch);
const pagesPerHour = Number(values['pages-per-hour']);
const HOUR_MS = 3_600_000;
const ALERTS = 'arn:aws:sns:us-east-1:111122223333:q-triage-bench-alerts';
const PAGING = 'arn:aws:sns:us-east-1:111122223333:q-triage-bench-paging';
const SELF = 'arn:aws:sts::*:assumed-role/q-triage-*';

function envelope(record: Record<string, unknown>): string {
  const source = record.eventSource === 'q.amazonaws.com' ? 'aws.q' : 'aws.qbusiness';
  return JSON.stringify({ version: '0', id: `eb-${String(record.eventID)}`, 'detail-type': 'AWS API Call via CloudTrail', source, account: '111122223333', time: record.eventTime, region: 'us-east-1', resources: [], detail: record });
}

/** What the pipeline must publish: the same events through the in-memory engine, batch by batch, with no cap. */
async function expectedAlerts(records: readonly Record<string, unknown>[]): Promise<{ ids: Set<string>; pageable: number }> {
  const ids = new Set<string>();
  let pageable = 0;
  const triage = createTriage({
    policy: defaultPolicy(),
    self: createSelfMatcher([SELF]),
    store: new MemoryStateStore(),
    notifier: {
      send: async ({ alert, kind, route }) => {
        if (kind === 'new' && route === 'alerts') ids.add(alert.id);
        if (route === 'paging') pageable += 1;
      },
    },
    clock: systemClock,
    logger: createLogger({ silent: true }),
    metrics: new CountingMetrics(),
    pagesPerHour: 1_000_000,
  });
  for (let start = 0; start < records.length; start += batchSize) {
    await triage.process(records.slice(start, start + batchSize).map((value, index) => ({ id: `m${start + index}`, value: JSON.parse(envelope(value)) as unknown })));
  }
  return { ids, pageable };
}

/** Events the pipeline marked as triaged (idempotency markers `event#<id>`): one per distinct eventID if nothing ran twice. */
async function countProcessedMarkers(documents: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documents.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': 'event#' }, Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}

async function main(): Promise<void> {
  const records = generateEvents(total, { duplicateRate: 0.01, burstAt: Math.floor(total / 2) });
  const distinct = new Set(records.map((record) => String(record.eventID))).size;
  const dynamo = await startDynamo('q-triage-bench-state');
  /** When each paging-topic publish was accepted, by hour of sending. */
  const pagesByHour = new Map<number, { pages: number; summaries: number }>();
  const sns = await startHttpStub((request, index) => {
    const [message] = publishedMessages([request]);
    if (message?.topicArn === PAGING) {
      const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
      const tally = pagesByHour.get(hour) ?? { pages: 0, summaries: 0 };
      if (message.document.rule === 'page-cap') tally.summaries += 1;
      else tally.pages += 1;
      pagesByHour.set(hour, tally);
    }
    return snsPublished(index);
  });
  Object.assign(process.env, {
    ...localTriageEnvironment({ tableName: dynamo.tableName, dynamoEndpoint: dynamo.endpoint, snsEndpoint: sns.endpoint, alertsTopicArn: ALERTS, pagingTopicArn: PAGING, selfPrincipals: SELF }),
    PAGES_PER_HOUR: String(pagesPerHour),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the environment is set, as Lambda would
  const { triageBatch } = require('../functions/triage/handler') as { triageBatch: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> };
  const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
  let retried = 0;
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < records.length; offset += batchSize) {
    const event: SQSEvent = {
      Records: records.slice(offset, offset + batchSize).map((record, index) => ({
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
    const response = await triageBatch(event, context);
    retried += response.batchItemFailures.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const messages = publishedMessages(sns.requests).filter((message) => message.topicArn === ALERTS);
  const newIds = messages.filter((message) => message.attributes.kind !== 'update' && message.document.rule !== 'page-cap').map((message) => String(message.document.alertId));
  const updates = messages.length - newIds.length;
  const processed = await countProcessedMarkers(dynamo.documents, dynamo.tableName);
  const { ids: expected, pageable } = await expectedAlerts(records);
  const published = new Set(newIds);
  const twice = newIds.length - published.size;
  const missing = [...expected].filter((id) => !published.has(id)).length;
  const unexpected = [...published].filter((id) => !expected.has(id)).length;
  console.log(`events: ${records.length} (${distinct} distinct, ${records.length - distinct} duplicates), batch size ${batchSize}`);
  console.log(`time: ${seconds.toFixed(1)} s → ${Math.round(records.length / seconds).toLocaleString('en')} events/s through the handler against dynalite + SNS stub`);
  const hours = [...pagesByHour.values()];
  const pagesSent = hours.reduce((sum, hour) => sum + hour.pages, 0);
  const summariesSent = hours.reduce((sum, hour) => sum + hour.summaries, 0);
  const pagesExpected = Math.min(pageable, pagesPerHour * Math.max(1, hours.length));
  const overCap = hours.filter((hour) => hour.pages > pagesPerHour || hour.summaries > 1).length;
  const pagesOk = overCap === 0 && (pageable <= pagesPerHour ? pagesSent === pageable && summariesSent === 0 : pagesSent >= pagesPerHour && summariesSent >= 1);
  console.log(`alerts published: ${newIds.length} new, ${updates} updates; records returned for retry: ${retried}`);
  console.log(`pages: ${pagesSent} sent + ${summariesSent} cap summary, cap ${pagesPerHour}/h over ${hours.length} hour(s) of sending; ${pageable} HIGH/CRITICAL incidents would page without a cap (at most ${pagesExpected} within it) → ${pagesOk ? 'WITHIN CAP' : 'CAP MISMATCH'}`);
  console.log(`duplicates suppressed: ${records.length - processed} (inputs ${records.length} − events marked processed ${processed}; ${records.length - distinct} duplicates in the input)`);
  console.log(`check: expected ${expected.size} alerts; published each once: ${twice === 0 ? 'yes' : `no (${twice} twice)`}; missing ${missing}; unexpected ${unexpected} → ${twice === 0 && missing === 0 && unexpected === 0 && retried === 0 ? 'EXACT' : 'MISMATCH'}`);
  await sns.close();
  await dynamo.close();
  if (twice !== 0 || missing !== 0 || unexpected !== 0 || !pagesOk) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
