/** The resync report: logged on every run, published to the alerts topic at LOW when something changed or failed. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SyncHealth, SyncProblem, SyncStart } from './data-source-sync';

export const RESYNC_STAGES = [
  'state',
  'sync-health',
  'download',
  'unpack',
  'custom-bucket',
  'bucket-sync',
  'data-source-sync',
  'version',
] as const;
export type ResyncStage = (typeof RESYNC_STAGES)[number];

export interface ResyncReport {
  readonly outcome: 'ok' | 'failed';
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly source: { readonly url: string; readonly commit?: string };
  readonly files: {
    readonly added: readonly string[];
    readonly changed: readonly string[];
    readonly removed: readonly string[];
    readonly unchanged: number;
  };
  readonly uploaded: number;
  readonly deleted: number;
  /** previous/current: the mirrored playbooks; answerCache: the version answers are cached under (moves when the data source syncs completed). */
  readonly version: {
    readonly previous?: string;
    readonly current?: string;
    readonly changed: boolean;
    readonly answerCache?: string;
  };
  readonly syncJobs: readonly SyncStart[];
  readonly syncHealth: readonly SyncHealth[];
  readonly problems: readonly SyncProblem[];
  /** When the playbooks were last downloaded and compared with the mirror (this run, unless it failed). */
  readonly verifiedAt?: string;
  readonly error?: {
    readonly stage: ResyncStage;
    readonly name: string;
    readonly message: string;
    readonly reason?: string;
  };
}

export type ReportPublisher = (report: ResyncReport) => Promise<void>;

export function reportChanged(report: ResyncReport): boolean {
  return (
    report.files.added.length + report.files.changed.length + report.files.removed.length > 0 || report.version.changed
  );
}

export function reportFailed(report: ResyncReport): boolean {
  return (
    report.outcome === 'failed' || report.problems.length > 0 || report.syncJobs.some((job) => job.outcome === 'failed')
  );
}

export function shouldPublish(report: ResyncReport): boolean {
  return !report.dryRun && (reportChanged(report) || reportFailed(report));
}

/** Names from the archive and error messages are not ours: no control characters in the text body. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}

function listed(label: string, items: readonly string[], max = 20): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, max).map((item) => `  - ${printable(item)}`);
  return [
    `${label} (${items.length}):`,
    ...shown,
    ...(items.length > max ? [`  … and ${items.length - max} more`] : []),
  ];
}

export function reportSubject(report: ResyncReport): string {
  const verdict = reportFailed(report) ? 'problem' : 'updated';
  return `[LOW] q-triage playbook resync: ${verdict}`;
}

export function renderReportText(report: ResyncReport): string {
  const lines = [
    `Playbook resync ${report.outcome === 'ok' ? 'completed' : `failed at ${report.error?.stage ?? '?'}`}${report.dryRun ? ' (dry run)' : ''}.`,
    `Source: ${printable(report.source.url)}${report.source.commit !== undefined ? ` @ ${printable(report.source.commit)}` : ''}`,
    `Playbook version: ${report.version.current ?? 'unchanged'}${report.version.changed ? ` (was ${report.version.previous ?? 'none'})` : ''}`,
    `Files: ${report.files.added.length} added, ${report.files.changed.length} changed, ${report.files.removed.length} removed, ${report.files.unchanged} unchanged; ${report.uploaded} uploaded, ${report.deleted} deleted.`,
    ...listed('Added', report.files.added),
    ...listed('Changed', report.files.changed),
    ...listed('Removed', report.files.removed),
    ...report.syncJobs.map((job) =>
      job.outcome === 'started'
        ? `Sync started for data source ${job.dataSourceId} (execution ${job.executionId}).`
        : job.outcome === 'skipped'
          ? `Sync skipped for data source ${job.dataSourceId}: ${job.note}.`
          : `Sync could not start for data source ${job.dataSourceId}: ${printable(job.error)}`,
    ),
    ...report.problems.map(
      (p) =>
        `Data source ${p.dataSourceId}: ${p.problem}${p.status !== undefined ? ` (${p.status})` : ''}: ${printable(p.detail)}`,
    ),
    ...(report.error !== undefined
      ? [
          `Error: ${report.error.name}${report.error.reason !== undefined ? ` [${report.error.reason}]` : ''}: ${printable(report.error.message)}`,
        ]
      : []),
  ];
  return lines.join('\n');
}

/**
 * Publishes the report as a String message (so the attributes reach subscribers): the text summary,
 * a blank line, then the report as JSON for machines.
 */
export function createSnsReportPublisher(sns: SNSClient, topicArn: string): ReportPublisher {
  return async (report) => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: reportSubject(report),
        Message: `${renderReportText(report)}\n\n${JSON.stringify(report)}`,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'LOW' },
          category: { DataType: 'String', StringValue: 'resync' },
          rule: { DataType: 'String', StringValue: 'playbook-resync' },
        },
      }),
    );
  };
}
