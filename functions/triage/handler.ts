import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadTriageFunctionConfig } from '../../shared/config';
import { parseMessageBody } from '../../shared/events/sqs';
import { logger, metrics, metricsSink } from '../../shared/powertools';
import { batchResponse, createAwsTriage } from '../../shared/runtime/triage';

// Cold start: configuration, clients and policy once per container; a bad deployment fails here.
const triage = createAwsTriage({ config: loadTriageFunctionConfig(process.env), logger, metrics: metricsSink });

/** SQS batch → pipeline → partial batch response: only transient failures go back to the queue. */
export async function triageBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const inputs = event.Records.map((record) => ({ id: record.messageId, ...parseMessageBody(record.body) }));
  const { outcomes } = await triage.process(inputs, { remainingMs: () => context.getRemainingTimeInMillis() });
  return batchResponse(outcomes);
}

export const handler = middy(triageBatch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
