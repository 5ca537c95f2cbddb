/** What the resync alarms watch (namespace QTriage): a failed run, and the age of the oldest last good sync. */
import { reportFailed, type ResyncReport } from './report';

export interface ResyncMetrics {
  readonly playbookSyncFailed: 0 | 1;
  /** Hours since the least recent successful data source sync; absent when no data source is configured. */
  readonly playbookSyncAgeHours?: number;
}

export function resyncMetrics(report: ResyncReport, now: number): ResyncMetrics {
  const ages = report.syncHealth.map((health) =>
    // A data source that never succeeded is as stale as it can be: count from the epoch so the alarm fires.
    health.lastSucceededAt === undefined ? now / 3_600_000 : (now - Date.parse(health.lastSucceededAt)) / 3_600_000,
  );
  return {
    playbookSyncFailed: reportFailed(report) ? 1 : 0,
    ...(ages.length > 0 ? { playbookSyncAgeHours: Math.round(Math.max(...ages) * 100) / 100 } : {}),
  };
}
