/** Scheduled playbook resync (EventBridge schedule). The work is in shared/resync. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../shared/clock';
import { createLogger } from '../../shared/logger';
import { createResyncDeps, loadResyncConfig, runResync, type ResyncReport } from '../../shared/resync';
import { resyncMetrics } from '../../shared/resync/metrics';

const logger = createLogger({ serviceName: 'q-triage-resync' });
// The alarms in serverless/alarms.yml watch these with the dimension service=q-triage.
const metrics = new Metrics({ namespace: 'QTriage', serviceName: 'q-triage' });
// Parsed at cold start: a bad deployment fails here, not on the first scheduled run.
const deps = createResyncDeps(loadResyncConfig(process.env), { clock: systemClock, logger });

/** Returns the report; a failed resync is reported (SNS, logs, metrics) rather than thrown, so the schedule does not retry it twice. */
export async function resync(event: ScheduledEvent): Promise<ResyncReport> {
  logger.appendKeys({ scheduleEventId: event.id });
  const report = await runResync(deps);
  const figures = resyncMetrics(report, systemClock.now());
  metrics.addMetric('PlaybookSyncFailed', MetricUnit.Count, figures.playbookSyncFailed);
  metrics.addMetric('PlaybookSyncAgeHours', MetricUnit.Count, figures.playbookSyncAgeHours);
  return report;
}

export const handler = middy(resync).use(injectLambdaContext(logger)).use(logMetrics(metrics));
