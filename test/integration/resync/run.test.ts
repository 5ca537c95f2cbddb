import { QBusinessClient } from '@aws-sdk/client-qbusiness';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { fixedClock } from '../../../shared/clock';
import { createLogger } from '../../../shared/logger';
import type { ResyncConfig } from '../../../shared/resync/config';
import type { ResyncReport } from '../../../shared/resync/report';
import { runResync, type ResyncDeps } from '../../../shared/resync/run';
import { resyncMetrics } from '../../../shared/resync/metrics';
import {
  createMemoryVersionStore,
  type PlaybookVersionRecord,
  type PlaybookVersionStore,
} from '../../../shared/resync/version';
import {
  buildTarball,
  FIXTURE_COMMIT,
  FIXTURE_FILES,
  FIXTURE_TOP,
  repositoryEntries,
  type TarEntry,
} from '../../fixtures/tarballs/build';
import { startHttpStub, TEST_CREDENTIALS } from '../../support/http-stub';
import { startS3, startTarballServer, type S3Harness, type TarballServer } from './support';

const AWS_BUCKET = 'aws-playbooks';
const CUSTOM_BUCKET = 'custom-playbooks';
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';

let s3: S3Harness;
let tarballs: TarballServer;
let store: PlaybookVersionStore & { current(): unknown };
let published: ResyncReport[];
const clock = fixedClock(Date.parse('2026-03-01T06:00:00Z'));

function deps(overrides: Partial<ResyncConfig> = {}): ResyncDeps {
  const config: ResyncConfig = {
    tarballUrl: `${tarballs.url}/archive.tar.gz`,
    awsPlaybooksBucket: AWS_BUCKET,
    customPlaybooksBucket: CUSTOM_BUCKET,
    kmsKeyId: KMS_KEY,
    syncStaleHours: 48,
    maxTarballBytes: 1024 * 1024,
    ...overrides,
  };
  return {
    config,
    s3: s3.client,
    versionStore: store,
    publishReport: (report) => {
      published.push(report);
      return Promise.resolve();
    },
    clock,
    logger: createLogger({ silent: true }),
    limits: { maxFiles: 100, maxFileBytes: 4096, maxUnpackedBytes: 64 * 1024 },
  };
}

async function serveFiles(files: Readonly<Record<string, string>>): Promise<void> {
  tarballs.serve(await buildTarball(repositoryEntries(files), { commit: FIXTURE_COMMIT }));
}

async function keys(bucket: string): Promise<string[]> {
  const answer = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (answer.Contents ?? []).map((object) => object.Key ?? '').sort();
}

const writes = (): number =>
  s3.requests.filter((request) => request.method === 'PUT' || request.method === 'DELETE' || request.method === 'POST')
    .length;

beforeEach(async () => {
  s3 = await startS3([AWS_BUCKET, CUSTOM_BUCKET]);
  tarballs = await startTarballServer();
  store = createMemoryVersionStore();
  published = [];
  await s3.client.send(
    new PutObjectCommand({ Bucket: CUSTOM_BUCKET, Key: 'our-playbook.md', Body: '# Our own playbook\n' }),
  );
  s3.requests.length = 0;
});

afterEach(async () => {
  await tarballs.close();
  await s3.close();
});

describe('runResync against s3rver', () => {
  test('uploads every documentation file on the first sync', async () => {
    await serveFiles(FIXTURE_FILES);

    const report = await runResync(deps());

    expect(report.uploaded).toBe(3);
    expect(await keys(AWS_BUCKET)).toEqual([
      'docs/Other_Playbook.md',
      'docs/Sample_Playbook.md',
      'docs/de/de.Sample_Playbook.md',
    ]);
  });

  test('uploads nothing when the playbooks did not change', async () => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());
    s3.requests.length = 0;

    const report = await runResync(deps());

    expect({ uploaded: report.uploaded, deleted: report.deleted, unchanged: report.files.unchanged }).toEqual({
      uploaded: 0,
      deleted: 0,
      unchanged: 3,
    });
    expect(writes()).toBe(0);
  });

  test('uploads only the changed file', async () => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());

    await serveFiles({
      ...FIXTURE_FILES,
      'docs/Sample_Playbook.md': '# Sample playbook\n\nInvestigate the event. Then contain it.\n',
    });
    const report = await runResync(deps());

    expect(report.files.changed).toEqual(['docs/Sample_Playbook.md']);
    expect(report.uploaded).toBe(1);
  });

  test('detects a change of the same size through the sha256 metadata', async () => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());

    await serveFiles({ ...FIXTURE_FILES, 'docs/Other_Playbook.md': '# Other playbook\n\nContain the resourcE.\n' });
    const report = await runResync(deps());

    expect(report.files.changed).toEqual(['docs/Other_Playbook.md']);
  });

  test('deletes the object of a file removed from the repository', async () => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());
    const { 'docs/Other_Playbook.md': _removed, ...remaining } = FIXTURE_FILES;

    await serveFiles(remaining);
    const report = await runResync(deps());

    expect(report.files.removed).toEqual(['docs/Other_Playbook.md']);
    expect(await keys(AWS_BUCKET)).not.toContain('docs/Other_Playbook.md');
  });

  test('never writes to the custom-playbooks bucket', async () => {
    await serveFiles(FIXTURE_FILES);

    await runResync(deps());
    await runResync(deps());

    const customWrites = s3.requests.filter(
      (request) =>
        request.path.startsWith(`/${CUSTOM_BUCKET}`) && request.method !== 'GET' && request.method !== 'HEAD',
    );
    expect(customWrites).toEqual([]);
    expect(await keys(CUSTOM_BUCKET)).toEqual(['our-playbook.md']);
  });

  test('uploads with SSE-KMS and the configured key', async () => {
    await serveFiles(FIXTURE_FILES);

    await runResync(deps());

    const puts = s3.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((put) => put.headers['x-amz-server-side-encryption'])).toEqual(['aws:kms', 'aws:kms', 'aws:kms']);
    expect(puts.every((put) => put.headers['x-amz-server-side-encryption-aws-kms-key-id'] === KMS_KEY)).toBe(true);
  });

  test('records the source commit, sync time and content digest in object metadata', async () => {
    await serveFiles(FIXTURE_FILES);

    await runResync(deps());

    const head = await s3.client.send(new HeadObjectCommand({ Bucket: AWS_BUCKET, Key: 'docs/Sample_Playbook.md' }));
    expect(head.Metadata).toMatchObject({ 'source-commit': FIXTURE_COMMIT, 'synced-at': '2026-03-01T06:00:00.000Z' });
    expect(head.Metadata?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('stores the uploaded content unchanged', async () => {
    await serveFiles(FIXTURE_FILES);

    await runResync(deps());

    const object = await s3.client.send(
      new GetObjectCommand({ Bucket: AWS_BUCKET, Key: 'docs/de/de.Sample_Playbook.md' }),
    );
    expect(await object.Body?.transformToString()).toBe(FIXTURE_FILES['docs/de/de.Sample_Playbook.md']);
  });

  test('follows a redirect to the tarball', async () => {
    await serveFiles(FIXTURE_FILES);

    const report = await runResync(deps({ tarballUrl: `${tarballs.url}/redirect` }));

    expect(report.uploaded).toBe(3);
  });

  test('bumps the playbook version when a custom playbook changes', async () => {
    await serveFiles(FIXTURE_FILES);
    const first = await runResync(deps());

    await s3.client.send(
      new PutObjectCommand({ Bucket: CUSTOM_BUCKET, Key: 'our-playbook.md', Body: '# Our own playbook, revised\n' }),
    );
    const second = await runResync(deps());

    expect(second.version.current).not.toBe(first.version.current);
    expect(second.version.changed).toBe(true);
  });

  test('keeps the playbook version when nothing changed', async () => {
    await serveFiles(FIXTURE_FILES);
    const first = await runResync(deps());

    const second = await runResync(deps());

    expect(second.version).toEqual({
      previous: first.version.current,
      current: first.version.current,
      changed: false,
      answerCache: first.version.current,
    });
  });

  test('publishes a report when files changed and stays quiet when nothing did', async () => {
    await serveFiles(FIXTURE_FILES);

    await runResync(deps());
    await runResync(deps());

    expect(published).toHaveLength(1);
    expect(published[0]?.files.added).toHaveLength(3);
  });

  test('writes nothing on a dry run but reports what it would do', async () => {
    await serveFiles(FIXTURE_FILES);

    const report = await runResync(deps(), { dryRun: true });

    expect(report.files.added).toHaveLength(3);
    expect(writes()).toBe(0);
    expect(store.current()).toBeUndefined();
    expect(published).toEqual([]);
  });

  const top: TarEntry = { name: `${FIXTURE_TOP}/`, type: 'directory' };
  const doc = (name: string, content = '# x\n'): TarEntry => ({ name: `${FIXTURE_TOP}/docs/${name}`, content });
  const malicious: ReadonlyArray<readonly [string, readonly TarEntry[], string]> = [
    ['path traversal', [top, doc('ok.md'), { name: `${FIXTURE_TOP}/docs/../../x.md`, content: 'x' }], 'path-traversal'],
    ['an absolute path', [top, doc('ok.md'), { name: '/tmp/x.md', content: 'x' }], 'absolute-path'],
    [
      'a symlink',
      [top, doc('ok.md'), { name: `${FIXTURE_TOP}/docs/evil.md`, type: 'symlink', linkname: '/etc/passwd' }],
      'link',
    ],
    [
      'a hard link',
      [top, doc('ok.md'), { name: `${FIXTURE_TOP}/docs/evil.md`, type: 'link', linkname: '/etc/passwd' }],
      'link',
    ],
    ['a huge file', [top, doc('ok.md'), doc('huge.md', 'x'.repeat(5000))], 'file-too-large'],
    ['too many files', [top, ...Array.from({ length: 120 }, (_, i) => doc(`p${i}.md`))], 'too-many-files'],
  ];
  test.each(malicious)('refuses a tarball with %s and writes nothing', async (_label, entries, reason) => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());
    const before = { objects: await keys(AWS_BUCKET), state: store.current() };
    s3.requests.length = 0;
    tarballs.serve(await buildTarball(entries, { commit: FIXTURE_COMMIT }));

    const report = await runResync(deps());

    expect(report.error).toMatchObject({ stage: 'unpack', name: 'UnsafeArchiveError', reason });
    expect(writes()).toBe(0);
    expect({ objects: await keys(AWS_BUCKET), state: store.current() }).toEqual(before);
  });

  test('refuses a download larger than MAX_TARBALL_BYTES', async () => {
    await serveFiles({
      ...FIXTURE_FILES,
      'docs/noise.md': Array.from({ length: 400 }, (_, i) => `${i * 7919}`).join(' '),
    });

    const report = await runResync(deps({ maxTarballBytes: 200 }));

    expect(report.error).toMatchObject({ stage: 'download', name: 'TarballDownloadError' });
    expect(writes()).toBe(0);
  });

  test('refuses to mirror an archive without documentation (which would delete everything)', async () => {
    await serveFiles(FIXTURE_FILES);
    await runResync(deps());
    s3.requests.length = 0;

    await serveFiles({ 'README.md': '# moved\n' });
    const report = await runResync(deps());

    expect(report.error).toMatchObject({ name: 'EmptyPlaybookTreeError' });
    expect(writes()).toBe(0);
  });

  test('publishes a failed resync', async () => {
    tarballs.serve(
      await buildTarball([top, { name: `${FIXTURE_TOP}/docs/evil.md`, type: 'symlink', linkname: '/etc/passwd' }]),
    );

    await runResync(deps());

    expect(published.map((report) => report.outcome)).toEqual(['failed']);
  });

  describe('with a Q Business data source', () => {
    const qbusinessTarget = { applicationId: 'app-1', indexId: 'idx-1', dataSourceIds: ['ds-aws'] };

    /** A job started by resync shows up in the history as `started` (SYNCING at first), newest first. */
    async function withQBusiness<T>(
      jobs: readonly Record<string, unknown>[],
      work: (client: QBusinessClient, paths: string[], finishStartedJob: () => void) => Promise<T>,
    ): Promise<T> {
      let started: Record<string, unknown> | undefined;
      const stub = await startHttpStub((request) => {
        if (!request.path.endsWith('/startsync'))
          return {
            status: 200,
            body: JSON.stringify({ history: [...(started !== undefined ? [started] : []), ...jobs] }),
          };
        started = { executionId: 'exec-9', status: 'SYNCING', startTime: clock.now() / 1000 + 30 };
        return { status: 200, body: JSON.stringify({ executionId: 'exec-9' }) };
      });
      const client = new QBusinessClient({
        endpoint: stub.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler(),
      });
      try {
        return await work(
          client,
          stub.requests.map((r) => r.path),
          () => {
            if (started !== undefined) started = { ...started, status: 'SUCCEEDED', endTime: clock.now() / 1000 + 600 };
          },
        );
      } finally {
        client.destroy();
        await stub.close();
      }
    }
    const succeeded = [
      {
        executionId: 'ok',
        status: 'SUCCEEDED',
        startTime: Date.parse('2026-03-01T00:00:00Z') / 1000,
        endTime: Date.parse('2026-03-01T00:10:00Z') / 1000,
      },
    ];

    test('starts the data source sync after a change and not when nothing changed', async () => {
      await serveFiles(FIXTURE_FILES);

      const [first, second] = await withQBusiness(succeeded, async (qbusiness) => {
        const withQ = { ...deps({ qbusiness: qbusinessTarget }), qbusiness };
        return [await runResync(withQ), await runResync(withQ)] as const;
      });

      expect(first.syncJobs).toEqual([{ dataSourceId: 'ds-aws', outcome: 'started', executionId: 'exec-9' }]);
      expect(second.syncJobs).toEqual([]);
    });

    test('publishes an alert when the last sync failed, even if the playbooks did not change', async () => {
      await serveFiles(FIXTURE_FILES);
      await runResync(deps());
      published = [];
      const failed = [
        {
          executionId: 'bad',
          status: 'FAILED',
          startTime: Date.parse('2026-03-01T04:00:00Z') / 1000,
          endTime: Date.parse('2026-03-01T04:30:00Z') / 1000,
        },
        ...succeeded,
      ];

      await withQBusiness(failed, (qbusiness) => runResync({ ...deps({ qbusiness: qbusinessTarget }), qbusiness }));

      expect(published.flatMap((report) => report.problems)).toEqual([
        expect.objectContaining({ dataSourceId: 'ds-aws', problem: 'failed', status: 'FAILED', executionId: 'bad' }),
      ]);
    });

    test('moves the answer-cache version only once the sync started after the change has completed', async () => {
      await serveFiles(FIXTURE_FILES);
      await runResync(deps());
      const before = store.current() as PlaybookVersionRecord;
      await serveFiles({
        ...FIXTURE_FILES,
        'docs/Sample_Playbook.md': '# Sample playbook\n\nInvestigate the event. Then contain it.\n',
      });

      const [changed, syncing, done] = await withQBusiness(succeeded, async (qbusiness, _paths, finishStartedJob) => {
        const withQ = { ...deps({ qbusiness: qbusinessTarget }), qbusiness };
        const changedRun = await runResync(withQ);
        const whileSyncing = store.current() as PlaybookVersionRecord;
        await runResync(withQ);
        const stillSyncing = store.current() as PlaybookVersionRecord;
        finishStartedJob();
        await runResync(withQ);
        return [
          { report: changedRun, record: whileSyncing },
          stillSyncing,
          store.current() as PlaybookVersionRecord,
        ] as const;
      });

      expect(changed.report.syncJobs.map((job) => job.outcome)).toEqual(['started']);
      expect(changed.record.version).toBe(before.version);
      expect(changed.record.pending?.version).toBe(changed.report.version.current);
      expect(syncing.version).toBe(before.version);
      expect(done.version).toBe(changed.report.version.current);
      expect(done.pending).toBeUndefined();
    });

    test('does not call unchanged playbooks stale, however old their last data source sync', async () => {
      await serveFiles(FIXTURE_FILES);
      const threeDaysAgo = [
        {
          executionId: 'old',
          status: 'SUCCEEDED',
          startTime: Date.parse('2026-02-26T06:00:00Z') / 1000,
          endTime: Date.parse('2026-02-26T06:10:00Z') / 1000,
        },
      ];
      await withQBusiness(threeDaysAgo, async (qbusiness, _paths, finishStartedJob) => {
        const withQ = { ...deps({ qbusiness: qbusinessTarget }), qbusiness };
        await runResync(withQ);
        finishStartedJob();
        await runResync(withQ);
      });
      published = [];

      const report = await withQBusiness(threeDaysAgo, (qbusiness) =>
        runResync({ ...deps({ qbusiness: qbusinessTarget }), qbusiness }),
      );

      expect(report.problems).toEqual([]);
      expect(resyncMetrics(report, clock.now())).toEqual({ playbookSyncFailed: 0, playbookSyncAgeHours: 0 });
      expect(published).toEqual([]);
    });

    test('starts again a sync that was skipped because an older one was running', async () => {
      await serveFiles(FIXTURE_FILES);
      const older = { executionId: 'older', status: 'SYNCING', startTime: Date.parse('2026-03-01T05:00:00Z') / 1000 };
      let olderJob: Record<string, unknown> = older;
      let starts = 0;
      const stub = await startHttpStub((request) => {
        if (!request.path.endsWith('/startsync')) return { status: 200, body: JSON.stringify({ history: [olderJob] }) };
        starts += 1;
        return starts === 1
          ? {
              status: 409,
              headers: { 'x-amzn-errortype': 'ConflictException' },
              body: JSON.stringify({ message: 'already running' }),
            }
          : { status: 200, body: JSON.stringify({ executionId: 'exec-2' }) };
      });
      const qbusiness = new QBusinessClient({
        endpoint: stub.endpoint,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler(),
      });
      try {
        const withQ = { ...deps({ qbusiness: qbusinessTarget }), qbusiness };
        const first = await runResync(withQ);
        olderJob = { ...older, status: 'SUCCEEDED', endTime: Date.parse('2026-03-01T05:30:00Z') / 1000 };

        const second = await runResync(withQ);

        expect(first.syncJobs.map((job) => job.outcome)).toEqual(['skipped']);
        expect(second.syncJobs).toEqual([{ dataSourceId: 'ds-aws', outcome: 'started', executionId: 'exec-2' }]);
        expect((store.current() as PlaybookVersionRecord).version).toBe('unsynced');
      } finally {
        qbusiness.destroy();
        await stub.close();
      }
    });
  });
});
