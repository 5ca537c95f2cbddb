/** Scheduled playbook resync (EventBridge schedule). The work is in shared/resync. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../shared/clock';
import { createLogger } from '../../shared/logger';
import { createResyncDeps, loadResyncConfig, runResync, type ResyncReport } from '../../shared/resync';

const logger = createLogger({ serviceName: 'q-triage-resync' });
// Parsed at cold start: a bad deployment fails here, not on the first scheduled run.
const deps = createResyncDeps(loadResyncConfig(process.env), { clock: systemClock, logger });

/** Returns the report; a failed resync is reported (SNS, logs) rather than thrown, so the schedule does not retry it twice. */
export async function resync(event: ScheduledEvent): Promise<ResyncReport> {
  logger.appendKeys({ scheduleEventId: event.id });
  return runResync(deps);
}

export const handler = middy(resync).use(injectLambdaContext(logger));
