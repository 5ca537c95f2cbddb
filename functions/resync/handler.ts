/** Scheduled playbook resync (EventBridge schedule). The work is in shared/resync. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../shared/clock';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { createResyncDeps, loadResyncConfig, runResync, type ResyncReport } from '../../shared/resync';
import { resyncMetrics } from '../../shared/resync/metrics';

// Parsed at cold start: a bad deployment fails here, not on the first scheduled run.
const deps = createResyncDeps(loadResyncConfig(process.env), { clock: systemClock, logger });

/** Returns the report; a failed resync is reported (SNS, logs, metrics) rather than thrown, so the schedule does not retry it twice. */
export async function resync(event: ScheduledEvent): Promise<ResyncReport> {
  logger.appendKeys({ scheduleEventId: event.id });
  const report = await runResync(deps);
  const figures = resyncMetrics(report, systemClock.now());
  // The alarms in serverless/alarms.yml watch these (namespace and service dimension from POWERTOOLS_* in the environment).
  metrics.addMetric('PlaybookSyncFailed', MetricUnit.Count, figures.playbookSyncFailed);
  // CloudWatch has no hours unit, and the stale alarm's threshold (syncStaleHours) is in hours: hours, unit None.
  metrics.addMetric('PlaybookSyncAgeHours', MetricUnit.NoUnit, figures.playbookSyncAgeHours);
  return report;
}

export const handler = middy(resync).use(injectLambdaContext(logger)).use(logMetrics(metrics));
