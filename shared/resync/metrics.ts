/** What the resync alarms watch (namespace QTriage): a failed run, and how long the playbooks have gone unchecked. */
import { reportFailed, type ResyncReport } from './report';

export interface ResyncMetrics {
  readonly playbookSyncFailed: 0 | 1;
  /**
   * Hours since the playbooks were last downloaded and compared with the mirror. Stale means "could not be
   * checked", not "did not change": an upstream repository that stays the same keeps this near zero.
   */
  readonly playbookSyncAgeHours: number;
}

export function resyncMetrics(report: ResyncReport, now: number): ResyncMetrics {
  // Never checked is as stale as it can be: count from the epoch so the alarm fires.
  const verifiedAt = report.verifiedAt === undefined ? 0 : Date.parse(report.verifiedAt);
  return {
    playbookSyncFailed: reportFailed(report) ? 1 : 0,
    playbookSyncAgeHours: Math.round(((now - verifiedAt) / 3_600_000) * 100) / 100,
  };
}
