/**
 * One resync: check the data source syncs of earlier runs, download and verify the playbook tarball,
 * mirror it to the AWS-playbooks bucket, start the data source syncs when the playbooks changed, record
 * the playbook version, and report. A failing stage ends the run with a failed report; stages after it
 * do not run, so an unsafe archive writes nothing anywhere.
 */
import type { QBusinessClient } from '@aws-sdk/client-qbusiness';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { listBucket, sha256Hex, syncTreeToBucket, type BucketObject, type BucketSyncResult } from './bucket-sync';
import type { ResyncConfig } from './config';
import {
  checkDataSourceSyncs,
  startDataSourceSyncs,
  syncsCompletedSince,
  syncsMissingSince,
  type SyncHealth,
  type SyncProblem,
  type SyncStart,
} from './data-source-sync';
import { downloadTarball, type DownloadOptions } from './download';
import { EmptyPlaybookTreeError, UnsafeArchiveError } from './errors';
import { reportChanged, shouldPublish, type ReportPublisher, type ResyncReport, type ResyncStage } from './report';
import { DEFAULT_ARCHIVE_LIMITS, includeFilter, unpackTarball, type ArchiveLimits, type PlaybookTree } from './tarball';
import {
  computePlaybookVersion,
  type PendingPlaybookVersion,
  type PlaybookVersionRecord,
  type PlaybookVersionStore,
} from './version';
import { errorMessage, errorName, QTriageError } from '../errors';

/** Documentation only: the markdown playbooks (all languages), not the CloudFormation, code or images. */
export const DEFAULT_INCLUDE = ['docs/**/*.md'] as const;

export interface ResyncDeps {
  readonly config: ResyncConfig;
  readonly s3: S3Client;
  /** Absent when no data source is configured. */
  readonly qbusiness?: QBusinessClient;
  readonly versionStore: PlaybookVersionStore;
  readonly publishReport: ReportPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly download?: (url: string, options: DownloadOptions) => Promise<Buffer>;
  readonly include?: readonly string[];
  readonly limits?: ArchiveLimits;
  /** Key prefix in the AWS-playbooks bucket; '' mirrors the repository paths at the bucket root. */
  readonly prefix?: string;
  readonly downloadTimeoutMs?: number;
}

export interface ResyncOptions {
  /** Download, verify and diff; write nothing, start nothing, publish nothing. */
  readonly dryRun?: boolean;
  /** Start the data source syncs even when the playbooks did not change. */
  readonly forceSync?: boolean;
}

class StageError extends QTriageError {
  override readonly name = 'StageError';
  constructor(
    readonly stage: ResyncStage,
    cause: unknown,
  ) {
    super(`resync failed at ${stage}`, { cause });
  }
}

async function stage<T>(name: ResyncStage, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StageError(name, error);
  }
}

export async function runResync(deps: ResyncDeps, options: ResyncOptions = {}): Promise<ResyncReport> {
  const { config, clock, logger } = deps;
  const dryRun = options.dryRun === true;
  const startedAt = new Date(clock.now()).toISOString();
  const target = config.qbusiness;
  let previous: PlaybookVersionRecord | undefined;
  let tree: PlaybookTree | undefined;
  let sync: BucketSyncResult | undefined;
  /** The mirrored playbooks' version before this run, and after it. */
  let mirroredBefore: string | undefined;
  let version: string | undefined;
  let answerVersion: string | undefined;
  let syncHealth: SyncHealth[] = [];
  let problems: SyncProblem[] = [];
  let syncJobs: SyncStart[] = [];
  let failure: ResyncReport['error'];
  let checkedSyncs = false;

  try {
    previous = await stage('state', () => deps.versionStore.read());
    if (target !== undefined && deps.qbusiness !== undefined) {
      const qbusiness = deps.qbusiness;
      const reportedUntil = previous?.checkedAt !== undefined ? Date.parse(previous.checkedAt) : undefined;
      const pendingSince = previous?.pending !== undefined ? Date.parse(previous.pending.startedAt) : undefined;
      const checked = await stage('sync-health', () =>
        checkDataSourceSyncs(
          qbusiness,
          target,
          {
            now: clock.now(),
            staleHours: config.syncStaleHours,
            ...(reportedUntil !== undefined ? { reportedUntil } : {}),
            ...(pendingSince !== undefined ? { pendingSince } : {}),
          },
          logger,
        ),
      );
      syncHealth = checked.health;
      problems = checked.problems;
      checkedSyncs = true;
    }
    const download = deps.download ?? downloadTarball;
    const archive = await stage('download', () =>
      download(config.tarballUrl, { maxBytes: config.maxTarballBytes, timeoutMs: deps.downloadTimeoutMs ?? 60_000 }),
    );
    const unpacked = await stage('unpack', async () => {
      const result = await unpackTarball(
        archive,
        deps.limits ?? DEFAULT_ARCHIVE_LIMITS,
        includeFilter(deps.include ?? DEFAULT_INCLUDE),
      );
      if (result.files.size === 0)
        throw new EmptyPlaybookTreeError(
          `no file of ${result.entryCount} entries matches ${(deps.include ?? DEFAULT_INCLUDE).join(', ')}`,
        );
      return result;
    });
    tree = unpacked;
    const commit = unpacked.commit ?? config.configuredCommit ?? 'unknown';
    const custom: BucketObject[] =
      config.customPlaybooksBucket !== undefined
        ? await stage('custom-bucket', () => listBucket(deps.s3, config.customPlaybooksBucket ?? '', ''))
        : [];
    sync = await stage('bucket-sync', () =>
      syncTreeToBucket(
        deps.s3,
        unpacked.files,
        {
          bucket: config.awsPlaybooksBucket,
          prefix: deps.prefix ?? '',
          commit,
          syncedAt: startedAt,
          dryRun,
          ...(config.kmsKeyId !== undefined ? { kmsKeyId: config.kmsKeyId } : {}),
        },
        logger,
      ),
    );
    const digests = new Map([...unpacked.files].map(([path, content]) => [path, sha256Hex(content)]));
    version = computePlaybookVersion(digests, custom);
    mirroredBefore = previous?.pending?.version ?? previous?.version;
    const contentChanged = version !== mirroredBefore || sync.uploaded + sync.deleted > 0;
    let pending: PendingPlaybookVersion | undefined = previous?.pending;
    let answers = previous !== undefined ? { version: previous.version, commit: previous.commit } : undefined;
    if (target === undefined || deps.qbusiness === undefined) {
      // No data source: what answers from the playbooks reads the bucket, which holds them now.
      answers = { version, commit };
      pending = undefined;
    } else {
      const qbusiness = deps.qbusiness;
      // The answer cache moves to the pending playbooks once every data source finished a sync started after them.
      if (
        pending !== undefined &&
        checkedSyncs &&
        syncsCompletedSince(syncHealth, target.dataSourceIds, Date.parse(pending.startedAt))
      ) {
        answers = { version: pending.version, commit: pending.commit };
        pending = undefined;
      }
      // A start skipped because a sync was running (it began before the change) is made again.
      const restart =
        pending !== undefined &&
        checkedSyncs &&
        syncsMissingSince(syncHealth, target.dataSourceIds, Date.parse(pending.startedAt));
      if (!dryRun && (contentChanged || restart || options.forceSync === true)) {
        syncJobs = await stage('data-source-sync', () => startDataSourceSyncs(qbusiness, target, logger));
        // A sync that could not start leaves `pending` as it was, so the next run sees the change again and retries.
        if (syncJobs.every((job) => job.outcome !== 'failed')) pending = { version, commit, startedAt };
      }
    }
    answerVersion = answers?.version;
    if (!dryRun) {
      // Only a run that looked at the sync history moves the "failures reported until" mark.
      const checkedAt = checkedSyncs ? startedAt : previous?.checkedAt;
      const current = answers ?? { version: 'unsynced', commit };
      const record: PlaybookVersionRecord = {
        version: current.version,
        commit: current.commit,
        syncedAt: current.version !== previous?.version ? startedAt : (previous?.syncedAt ?? startedAt),
        verifiedAt: startedAt,
        ...(checkedAt !== undefined ? { checkedAt } : {}),
        ...(pending !== undefined ? { pending } : {}),
      };
      await stage('version', () => deps.versionStore.write(record));
    }
  } catch (error) {
    const stageError = error instanceof StageError ? error : new StageError('state', error);
    const cause = stageError.cause;
    failure = {
      stage: stageError.stage,
      name: errorName(cause, 'Error'),
      message: errorMessage(cause),
      ...(cause instanceof UnsafeArchiveError ? { reason: cause.reason } : {}),
    };
    logger.error('resync failed', { stage: stageError.stage, error: cause });
  }

  // A run that got through the comparison checked the playbooks; a failed one leaves the last check standing.
  const verifiedAt = failure === undefined ? startedAt : (previous?.verifiedAt ?? previous?.syncedAt);
  const report: ResyncReport = {
    outcome: failure === undefined ? 'ok' : 'failed',
    dryRun,
    startedAt,
    finishedAt: new Date(clock.now()).toISOString(),
    source: {
      url: config.tarballUrl,
      ...(tree !== undefined ? { commit: tree.commit ?? config.configuredCommit ?? 'unknown' } : {}),
    },
    files: {
      added: sync?.added ?? [],
      changed: sync?.changed ?? [],
      removed: sync?.removed ?? [],
      unchanged: sync?.unchanged ?? 0,
    },
    uploaded: sync?.uploaded ?? 0,
    deleted: sync?.deleted ?? 0,
    version: {
      ...(mirroredBefore !== undefined
        ? { previous: mirroredBefore }
        : previous !== undefined
          ? { previous: previous.pending?.version ?? previous.version }
          : {}),
      ...(version !== undefined ? { current: version } : {}),
      changed: version !== undefined && version !== mirroredBefore,
      ...(answerVersion !== undefined ? { answerCache: answerVersion } : {}),
    },
    syncJobs,
    syncHealth,
    problems,
    ...(verifiedAt !== undefined ? { verifiedAt } : {}),
    ...(failure !== undefined ? { error: failure } : {}),
  };
  logger.info('resync report', {
    outcome: report.outcome,
    dryRun,
    commit: report.source.commit,
    version: report.version,
    added: report.files.added.length,
    changed: report.files.changed.length,
    removed: report.files.removed.length,
    unchanged: report.files.unchanged,
    uploaded: report.uploaded,
    deleted: report.deleted,
    syncJobs: report.syncJobs,
    problems: report.problems,
    changedSomething: reportChanged(report),
  });
  if (shouldPublish(report)) {
    try {
      await deps.publishReport(report);
    } catch (error) {
      logger.error('resync report could not be published', { error });
    }
  }
  return report;
}
