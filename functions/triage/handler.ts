import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadTriageFunctionConfig } from '../../shared/config';
import { parseMessageBody } from '../../shared/events/sqs';
import { logger, metrics, metricsSink } from '../../shared/powertools';
import type { SweepResult } from '../../shared/engine/sweep';
import { batchResponse, createAwsTriage, isSweepRequest, type SWEEP_REQUEST } from '../../shared/runtime/triage';

// Cold start: configuration, clients and policy once per container; a bad deployment fails here.
const triage = createAwsTriage({ config: loadTriageFunctionConfig(process.env), logger, metrics: metricsSink });

/** SQS batch → pipeline → partial batch response: only transient failures go back to the queue. */
export async function triageBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const inputs = event.Records.map((record) => ({ id: record.messageId, ...parseMessageBody(record.body) }));
  const { outcomes } = await triage.process(inputs, { remainingMs: () => context.getRemainingTimeInMillis() });
  return batchResponse(outcomes);
}

/** The schedule's sweep: closing and held-back updates of incidents no event touches any more. */
export async function sweepIncidents(
  context: Context,
): Promise<Pick<SweepResult, 'due' | 'failed'> & { sent: number }> {
  const { due, sent, failed } = await triage.sweep({ remainingMs: () => context.getRemainingTimeInMillis() });
  return { due, sent: sent.length, failed };
}

/** One function, two triggers: the buffer queue's batches and the sweep schedule. */
export async function triageInvocation(
  event: SQSEvent | typeof SWEEP_REQUEST,
  context: Context,
): Promise<SQSBatchResponse | Awaited<ReturnType<typeof sweepIncidents>>> {
  return isSweepRequest(event) ? sweepIncidents(context) : triageBatch(event, context);
}

export const handler = middy(triageInvocation).use(injectLambdaContext(logger)).use(logMetrics(metrics));
