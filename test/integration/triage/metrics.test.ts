/**
 * The CloudWatch metrics the alarms watch, as the deployed triage handler writes them: the real
 * middy-wrapped handler (logMetrics flushes EMF to stdout), cold-started from the `local` stage's
 * environment. The alarms select namespace QTriage, dimension service=q-triage and these names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { coldStartTriage } from '../../support/cold-start';

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

const EVENTS = join(__dirname, '../../../events');
const batch = (...files: string[]): SQSEvent => ({
  Records: files.flatMap((file) => (JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as SQSEvent).Records),
});
const savedEnv = { ...process.env };
const context = {
  functionName: 'q-triage-dev-triage',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:q-triage-dev-triage',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

beforeEach(() => {
  // The `local` stage's environment (serverless.yml custom.providerEnvironment.local), metrics on.
  Object.assign(process.env, {
    LOCAL_ADAPTERS: 'true',
    STATE_TABLE: 'q-triage-local-state',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-local-alerts',
    PAGING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:q-triage-local-paging',
    SELF_PRINCIPALS: 'arn:aws:iam::*:role/q-triage-*',
    ENRICH_SOURCE: 'none',
    CONTEXT_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_SERVICE_NAME: 'q-triage',
    POWERTOOLS_METRICS_NAMESPACE: 'QTriage',
    PAGES_PER_HOUR: '1',
    AWS_REGION: 'us-east-1',
  });
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

afterEach(() => {
  process.env = { ...savedEnv };
});

/** Runs the handler and returns the EMF documents it wrote to stdout. */
async function emfOf(event: SQSEvent): Promise<EmfDocument[]> {
  const handler = coldStartTriage('handler');
  const written: string[] = [];
  // The stdout notifier waits for each write's callback.
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      const done = rest.find((arg): arg is () => void => typeof arg === 'function');
      done?.();
      return true;
    });
  try {
    await handler(event, context);
  } finally {
    stdout.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
}

function metricValues(documents: EmfDocument[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const document of documents) {
    for (const directive of document._aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe('QTriage');
      expect(directive.Dimensions).toEqual([['service']]);
      expect(document.service).toBe('q-triage');
      // A metric added several times in one invocation is flushed as a list of values.
      const sum = (value: unknown): number =>
        Array.isArray(value) ? value.reduce((total: number, item) => total + Number(item), 0) : Number(value);
      for (const { Name } of directive.Metrics) values.set(Name, (values.get(Name) ?? 0) + sum(document[Name]));
    }
  }
  return values;
}

test('a batch with bad records emits EventsIn and EventsRejected', async () => {
  const values = metricValues(await emfOf(batch('qbusiness/mixed-batch-with-bad-records.json')));

  expect(values.get('EventsIn')).toBeGreaterThan(0);
  expect(values.get('EventsRejected')).toBeGreaterThan(0);
});

test('pages beyond PAGES_PER_HOUR emit PagesSuppressedByCap', async () => {
  const values = metricValues(
    await emfOf(
      batch('qbusiness/create-plugin.json', 'qbusiness/delete-index.json', 'qbusiness/create-data-accessor.json'),
    ),
  );

  expect(values.get('PagesSuppressedByCap')).toBeGreaterThan(0);
});

test('a misconfigured optional feature is counted as ConfigDegraded once, at cold start, and triage goes on', async () => {
  Object.assign(process.env, { ENRICH_SOURCE: 'qbusiness', ALERT_LOCALE: 'pt' });

  const values = metricValues(await emfOf(batch('qbusiness/create-plugin.json')));

  // Enrichment without QBUSINESS_APPLICATION_ID, and an unknown locale.
  expect(values.get('ConfigDegraded')).toBe(2);
  expect(values.get('EventsIn')).toBeGreaterThan(0);
});
