/**
 * Q Business data source syncs: start one per configured data source after the bucket changed, and on
 * every run look at the recent jobs to report failed syncs and data sources that have not finished syncing
 * a playbook change within SYNC_STALE_HOURS (the alarm the playbook-assistant guide asks for). A data source
 * whose last success is old is not stale when the playbooks did not change since: it holds them already.
 */
import {
  ListDataSourceSyncJobsCommand,
  StartDataSourceSyncJobCommand,
  type DataSourceSyncJob,
  type QBusinessClient,
} from '@aws-sdk/client-qbusiness';
import type { Logger } from '../logger';
import { errorMessage, errorName } from '../errors';

export interface DataSourceTarget {
  readonly applicationId: string;
  readonly indexId: string;
  readonly dataSourceIds: readonly string[];
}

export type SyncStart =
  | { readonly dataSourceId: string; readonly outcome: 'started'; readonly executionId: string }
  | { readonly dataSourceId: string; readonly outcome: 'skipped'; readonly note: string }
  | { readonly dataSourceId: string; readonly outcome: 'failed'; readonly error: string };

export const SYNC_ALREADY_RUNNING = 'sync already running';

export async function startDataSourceSyncs(
  qbusiness: QBusinessClient,
  target: DataSourceTarget,
  logger: Logger,
): Promise<SyncStart[]> {
  const starts: SyncStart[] = [];
  for (const dataSourceId of target.dataSourceIds) {
    try {
      const answer = await qbusiness.send(
        new StartDataSourceSyncJobCommand({
          applicationId: target.applicationId,
          indexId: target.indexId,
          dataSourceId,
        }),
      );
      starts.push({ dataSourceId, outcome: 'started', executionId: answer.executionId ?? '' });
      logger.info('data source sync started', { dataSourceId, executionId: answer.executionId });
    } catch (error) {
      if (errorName(error) === 'ConflictException') {
        starts.push({ dataSourceId, outcome: 'skipped', note: SYNC_ALREADY_RUNNING });
        logger.info('data source sync skipped', { dataSourceId, note: SYNC_ALREADY_RUNNING });
      } else {
        starts.push({ dataSourceId, outcome: 'failed', error: `${errorName(error)}: ${errorMessage(error)}` });
        logger.error('data source sync could not start', { dataSourceId, error });
      }
    }
  }
  return starts;
}

export const FAILED_SYNC_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'ABORTED', 'INCOMPLETE']);
const RUNNING_SYNC_STATUSES: ReadonlySet<string> = new Set(['SYNCING', 'SYNCING_INDEXING', 'STOPPING']);

export interface SyncProblem {
  readonly dataSourceId: string;
  readonly problem: 'failed' | 'stale' | 'unreadable';
  readonly status?: string;
  readonly executionId?: string;
  readonly detail: string;
}

export interface SyncHealth {
  readonly dataSourceId: string;
  readonly latestStatus?: string;
  readonly latestExecutionId?: string;
  readonly latestStartedAt?: string;
  readonly lastSucceededAt?: string;
  /** Start of the most recent successful job: a job that started before a change cannot hold it. */
  readonly lastSucceededStartedAt?: string;
}

export interface SyncCheckOptions {
  readonly now: number;
  readonly staleHours: number;
  /** Failures that ended before this time were reported by an earlier run. */
  readonly reportedUntil?: number;
  /** When syncs were started for playbooks the data sources do not hold yet (see PlaybookVersionRecord.pending). */
  readonly pendingSince?: number;
}

const RUNNING = (health: SyncHealth): boolean =>
  health.latestStatus !== undefined && RUNNING_SYNC_STATUSES.has(health.latestStatus);
const startedSince = (iso: string | undefined, since: number): boolean => iso !== undefined && Date.parse(iso) >= since;

/** Every data source has a successful job that started at or after `since`: the index holds what was mirrored then. */
export function syncsCompletedSince(
  health: readonly SyncHealth[],
  dataSourceIds: readonly string[],
  since: number,
): boolean {
  return dataSourceIds.every((id) =>
    health.some((entry) => entry.dataSourceId === id && startedSince(entry.lastSucceededStartedAt, since)),
  );
}

/** Some data source has neither a job started at or after `since` nor one running: its start was skipped or lost. */
export function syncsMissingSince(
  health: readonly SyncHealth[],
  dataSourceIds: readonly string[],
  since: number,
): boolean {
  return dataSourceIds.some((id) => {
    const entry = health.find((candidate) => candidate.dataSourceId === id);
    return entry !== undefined && !RUNNING(entry) && !startedSince(entry.latestStartedAt, since);
  });
}

const timeOf = (job: DataSourceSyncJob): number => (job.endTime ?? job.startTime)?.getTime() ?? 0;

/** One page (≤ 10, the API's maximum) of each data source's most recent jobs is enough for both checks. */
export async function checkDataSourceSyncs(
  qbusiness: QBusinessClient,
  target: DataSourceTarget,
  options: SyncCheckOptions,
  logger: Logger,
): Promise<{ health: SyncHealth[]; problems: SyncProblem[] }> {
  const health: SyncHealth[] = [];
  const problems: SyncProblem[] = [];
  const staleMs = options.staleHours * 3_600_000;
  for (const dataSourceId of target.dataSourceIds) {
    let jobs: DataSourceSyncJob[];
    try {
      const answer = await qbusiness.send(
        new ListDataSourceSyncJobsCommand({
          applicationId: target.applicationId,
          indexId: target.indexId,
          dataSourceId,
          maxResults: 10,
        }),
      );
      jobs = [...(answer.history ?? [])].sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));
    } catch (error) {
      logger.error('data source sync history unreadable', { dataSourceId, error });
      problems.push({ dataSourceId, problem: 'unreadable', detail: `${errorName(error)}: ${errorMessage(error)}` });
      continue;
    }
    const latest = jobs[0];
    const succeeded = jobs.find((job) => job.status === 'SUCCEEDED');
    health.push({
      dataSourceId,
      ...(latest?.status !== undefined ? { latestStatus: latest.status } : {}),
      ...(latest?.executionId !== undefined ? { latestExecutionId: latest.executionId } : {}),
      ...(latest?.startTime !== undefined ? { latestStartedAt: latest.startTime.toISOString() } : {}),
      ...(succeeded !== undefined ? { lastSucceededAt: new Date(timeOf(succeeded)).toISOString() } : {}),
      ...(succeeded?.startTime !== undefined ? { lastSucceededStartedAt: succeeded.startTime.toISOString() } : {}),
    });
    if (
      latest?.status !== undefined &&
      FAILED_SYNC_STATUSES.has(latest.status) &&
      timeOf(latest) > (options.reportedUntil ?? Number.NEGATIVE_INFINITY)
    ) {
      const reason = latest.error?.errorMessage ?? latest.dataSourceErrorCode ?? 'no error detail';
      problems.push({
        dataSourceId,
        problem: 'failed',
        status: latest.status,
        ...(latest.executionId !== undefined ? { executionId: latest.executionId } : {}),
        detail: reason,
      });
    }
    // Stale: the playbooks changed more than SYNC_STALE_HOURS ago and this data source has not finished syncing them.
    const pendingSince = options.pendingSince;
    const caughtUp =
      pendingSince === undefined ||
      (succeeded?.startTime !== undefined && succeeded.startTime.getTime() >= pendingSince);
    if (!caughtUp && options.now - pendingSince > staleMs) {
      const since =
        succeeded !== undefined
          ? `last success ${new Date(timeOf(succeeded)).toISOString()}`
          : 'no successful sync in the recent history';
      problems.push({
        dataSourceId,
        problem: 'stale',
        detail: `the playbooks changed at ${new Date(pendingSince).toISOString()} and are not synced after ${options.staleHours} h (${since})`,
      });
    }
  }
  return { health, problems };
}
