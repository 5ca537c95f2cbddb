/** Scheduled readiness check (EventBridge schedule): alerts once when a check regresses. The work is in shared/doctor. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../shared/clock';
import { createDoctorDeps, DynamoReadinessStore, loadReadinessConfig, ReadinessConfigError, runReadinessCheck, type ReadinessOutcome } from '../../shared/doctor';
import { createLogger } from '../../shared/logger';

const logger = createLogger({ serviceName: 'q-triage-readiness' });
// Parsed at cold start: a bad deployment fails here, not on the first scheduled run.
const config = loadReadinessConfig(process.env);
if (config.stateTable === undefined || config.alertsTopicArn === undefined) {
  throw new ReadinessConfigError('the readiness function needs STATE_TABLE and ALERTS_TOPIC_ARN');
}
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const doctor = createDoctorDeps(config, { clock: systemClock, dynamo });
const store = new DynamoReadinessStore({ client: dynamo, tableName: config.stateTable, logger });
const alertsTopicArn = config.alertsTopicArn;

export async function readiness(event: ScheduledEvent): Promise<Pick<ReadinessOutcome, 'published'> & { readonly failed: number; readonly regressed: readonly string[] }> {
  logger.appendKeys({ scheduleEventId: event.id });
  const outcome = await runReadinessCheck({ doctor, store, sns: doctor.sns, alertsTopicArn, clock: systemClock, logger, account: event.account });
  return { published: outcome.published, failed: outcome.results.filter((result) => result.status === 'FAIL').length, regressed: outcome.regressions.map((regression) => regression.id) };
}

export const handler = middy(readiness).use(injectLambdaContext(logger));
