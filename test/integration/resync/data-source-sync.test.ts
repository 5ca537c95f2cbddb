import { QBusinessClient } from '@aws-sdk/client-qbusiness';
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createLogger } from '../../../shared/logger';
import {
  checkDataSourceSyncs,
  startDataSourceSyncs,
  SYNC_ALREADY_RUNNING,
  type DataSourceTarget,
} from '../../../shared/resync/data-source-sync';
import { createSnsReportPublisher, type ResyncReport } from '../../../shared/resync/report';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub, type StubReply } from '../../support/http-stub';

const TARGET: DataSourceTarget = { applicationId: 'app-1', indexId: 'idx-1', dataSourceIds: ['ds-aws', 'ds-custom'] };
const NOW = Date.parse('2026-03-01T06:00:00Z');
const logger = createLogger({ silent: true });
const epoch = (iso: string): number => Date.parse(iso) / 1000;

let stub: HttpStub;
let qbusiness: QBusinessClient;

const conflict: StubReply = {
  status: 409,
  headers: { 'x-amzn-errortype': 'ConflictException' },
  body: JSON.stringify({ message: 'A sync job is already running for this data source' }),
};

function history(jobs: readonly Record<string, unknown>[]): StubReply {
  return { status: 200, body: JSON.stringify({ history: jobs }) };
}

beforeEach(async () => {
  stub = await startHttpStub(() => ({ status: 200, body: JSON.stringify({ executionId: 'exec-1' }) }));
  qbusiness = new QBusinessClient({
    endpoint: stub.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
});

afterEach(async () => {
  qbusiness.destroy();
  await stub.close();
});

describe('startDataSourceSyncs against a Q Business stub', () => {
  test('starts a sync job for each data source', async () => {
    const starts = await startDataSourceSyncs(qbusiness, TARGET, logger);

    expect(starts).toEqual([
      { dataSourceId: 'ds-aws', outcome: 'started', executionId: 'exec-1' },
      { dataSourceId: 'ds-custom', outcome: 'started', executionId: 'exec-1' },
    ]);
    expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /applications/app-1/indices/idx-1/datasources/ds-aws/startsync',
      'POST /applications/app-1/indices/idx-1/datasources/ds-custom/startsync',
    ]);
  });

  test('skips a data source whose sync is already running, with a note, and still starts the others', async () => {
    stub.setHandler((request) =>
      request.path.includes('ds-aws') ? conflict : { status: 200, body: JSON.stringify({ executionId: 'exec-2' }) },
    );

    const starts = await startDataSourceSyncs(qbusiness, TARGET, logger);

    expect(starts).toEqual([
      { dataSourceId: 'ds-aws', outcome: 'skipped', note: SYNC_ALREADY_RUNNING },
      { dataSourceId: 'ds-custom', outcome: 'started', executionId: 'exec-2' },
    ]);
  });

  test('reports a refused start as failed', async () => {
    stub.setHandler(() => ({
      status: 403,
      headers: { 'x-amzn-errortype': 'AccessDeniedException' },
      body: JSON.stringify({ message: 'denied' }),
    }));

    const starts = await startDataSourceSyncs(qbusiness, { ...TARGET, dataSourceIds: ['ds-aws'] }, logger);

    expect(starts[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('AccessDeniedException') });
  });
});

describe('checkDataSourceSyncs against a Q Business stub', () => {
  const target = { ...TARGET, dataSourceIds: ['ds-aws'] };

  test('reports the latest job when it failed', async () => {
    stub.setHandler(() =>
      history([
        {
          executionId: 'old',
          status: 'SUCCEEDED',
          startTime: epoch('2026-02-28T06:00:00Z'),
          endTime: epoch('2026-02-28T06:10:00Z'),
        },
        {
          executionId: 'new',
          status: 'FAILED',
          startTime: epoch('2026-03-01T05:00:00Z'),
          endTime: epoch('2026-03-01T05:20:00Z'),
          error: { errorMessage: 'crawler failed', errorCode: 'InternalError' },
        },
      ]),
    );

    const { problems } = await checkDataSourceSyncs(qbusiness, target, { now: NOW, staleHours: 48 }, logger);

    expect(problems).toEqual([
      { dataSourceId: 'ds-aws', problem: 'failed', status: 'FAILED', executionId: 'new', detail: 'crawler failed' },
    ]);
  });

  test('does not report again a failure that ended before the previous check', async () => {
    stub.setHandler(() =>
      history([
        {
          executionId: 'recent-ok',
          status: 'SUCCEEDED',
          startTime: epoch('2026-02-28T06:00:00Z'),
          endTime: epoch('2026-02-28T06:10:00Z'),
        },
        {
          executionId: 'new',
          status: 'ABORTED',
          startTime: epoch('2026-03-01T01:00:00Z'),
          endTime: epoch('2026-03-01T01:20:00Z'),
        },
      ]),
    );

    const { problems } = await checkDataSourceSyncs(
      qbusiness,
      target,
      { now: NOW, staleHours: 48, reportedUntil: Date.parse('2026-03-01T02:00:00Z') },
      logger,
    );

    expect(problems).toEqual([]);
  });

  test('reports a data source that has not synced a playbook change within the threshold', async () => {
    stub.setHandler(() =>
      history([
        {
          executionId: 'old',
          status: 'SUCCEEDED',
          startTime: epoch('2026-02-20T06:00:00Z'),
          endTime: epoch('2026-02-20T06:10:00Z'),
        },
      ]),
    );

    const { problems } = await checkDataSourceSyncs(
      qbusiness,
      target,
      { now: NOW, staleHours: 48, pendingSince: Date.parse('2026-02-26T06:00:00Z') },
      logger,
    );

    expect(problems.map((problem) => problem.problem)).toEqual(['stale']);
  });

  test('does not call a data source stale when the playbooks did not change since its last success', async () => {
    stub.setHandler(() =>
      history([
        {
          executionId: 'old',
          status: 'SUCCEEDED',
          startTime: epoch('2026-02-20T06:00:00Z'),
          endTime: epoch('2026-02-20T06:10:00Z'),
        },
      ]),
    );

    const { problems } = await checkDataSourceSyncs(qbusiness, target, { now: NOW, staleHours: 48 }, logger);

    expect(problems).toEqual([]);
  });

  test('does not call a change stale before the threshold', async () => {
    stub.setHandler(() =>
      history([
        {
          executionId: 'old',
          status: 'SUCCEEDED',
          startTime: epoch('2026-02-20T06:00:00Z'),
          endTime: epoch('2026-02-20T06:10:00Z'),
        },
      ]),
    );

    const { problems } = await checkDataSourceSyncs(
      qbusiness,
      target,
      { now: NOW, staleHours: 48, pendingSince: Date.parse('2026-02-28T06:00:00Z') },
      logger,
    );

    expect(problems).toEqual([]);
  });

  test('does not call a recently started sync stale', async () => {
    stub.setHandler(() =>
      history([{ executionId: 'first', status: 'SYNCING', startTime: epoch('2026-03-01T05:30:00Z') }]),
    );

    const { problems } = await checkDataSourceSyncs(qbusiness, target, { now: NOW, staleHours: 48 }, logger);

    expect(problems).toEqual([]);
  });

  test('asks for at most 10 jobs per page', async () => {
    stub.setHandler(() => history([]));

    await checkDataSourceSyncs(qbusiness, target, { now: NOW, staleHours: 48 }, logger);

    expect(stub.requests[0]?.path).toBe('/applications/app-1/indices/idx-1/datasources/ds-aws/syncjobs?maxResults=10');
  });
});

describe('createSnsReportPublisher against an SNS stub', () => {
  test('publishes the report at LOW with the resync attributes', async () => {
    const sns = await startHttpStub(() => ({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>',
    }));
    const client = new SNSClient({
      endpoint: sns.endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const report: ResyncReport = {
      outcome: 'ok',
      dryRun: false,
      startedAt: '2026-03-01T06:00:00.000Z',
      finishedAt: '2026-03-01T06:00:05.000Z',
      source: { url: 'https://codeload.github.com/x/y/tar.gz/main', commit: 'abc' },
      files: { added: [], changed: [], removed: [], unchanged: 3 },
      uploaded: 0,
      deleted: 0,
      version: { previous: 'v1', current: 'v1', changed: false },
      syncJobs: [],
      syncHealth: [],
      problems: [
        { dataSourceId: 'ds-aws', problem: 'failed', status: 'FAILED', executionId: 'e', detail: 'crawler failed' },
      ],
    };

    await createSnsReportPublisher(client, 'arn:aws:sns:us-east-1:111122223333:alerts')(report);

    const body = new URLSearchParams(sns.requests[0]?.body ?? '');
    const attributes = Object.fromEntries(
      [1, 2, 3].map((i) => [
        body.get(`MessageAttributes.entry.${i}.Name`),
        body.get(`MessageAttributes.entry.${i}.Value.StringValue`),
      ]),
    );
    expect(attributes).toEqual({ severity: 'LOW', category: 'resync', rule: 'playbook-resync' });
    expect(body.get('Message')).toContain('Data source ds-aws: failed (FAILED): crawler failed');
    client.destroy();
    await sns.close();
  });
});
