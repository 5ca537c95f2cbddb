/** Scheduled readiness check (EventBridge schedule): alerts once when a check regresses. The work is in shared/doctor. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { systemClock } from '../../shared/clock';
import {
  createDoctorDeps,
  DynamoReadinessStore,
  loadReadinessFunctionConfig,
  runReadinessCheck,
  type ReadinessOutcome,
} from '../../shared/doctor';
import { logger } from '../../shared/powertools';

// Parsed at cold start: a bad deployment fails here, not on the first scheduled run.
const config = loadReadinessFunctionConfig(process.env);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const doctor = createDoctorDeps(config, { clock: systemClock, dynamo });
const store = new DynamoReadinessStore({ client: dynamo, tableName: config.stateTable, logger });

export async function readiness(
  event: ScheduledEvent,
): Promise<Pick<ReadinessOutcome, 'published'> & { readonly failed: number; readonly regressed: readonly string[] }> {
  logger.appendKeys({ scheduleEventId: event.id });
  const outcome = await runReadinessCheck({
    doctor,
    store,
    sns: doctor.sns,
    alertsTopicArn: config.alertsTopicArn,
    clock: systemClock,
    logger,
    account: event.account,
  });
  return {
    published: outcome.published,
    failed: outcome.results.filter((result) => result.status === 'FAIL').length,
    regressed: outcome.regressions.map((regression) => regression.id),
  };
}

export const handler = middy(readiness).use(injectLambdaContext(logger));
