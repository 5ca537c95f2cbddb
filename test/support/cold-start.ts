/** The triage handler as a new Lambda container loads it: a fresh module, so per-container state starts empty. */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SWEEP_REQUEST } from '../../shared/runtime/triage';

export type TriageHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
/** The function's whole entry: a batch from the queue, or the schedule's sweep request. */
export type TriageInvocation = (event: SQSEvent | typeof SWEEP_REQUEST, context: Context) => Promise<unknown>;

function freshHandlerModule(): Record<string, unknown> {
  let handlerModule: Record<string, unknown> | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module per cold start
    handlerModule = require('../../functions/triage/handler') as Record<string, unknown>;
  });
  if (handlerModule === undefined) throw new Error('handler did not load');
  return handlerModule;
}

/** `triageBatch` is the inner function, `handler` the middy-wrapped one that Lambda calls. */
export function coldStartTriage(entry: 'triageBatch' | 'handler' = 'triageBatch'): TriageHandler {
  return freshHandlerModule()[entry] as TriageHandler;
}

/** `triageInvocation`: what the middy wrapper calls, for queue batches and sweeps alike. */
export function coldStartTriageInvocation(): TriageInvocation {
  return freshHandlerModule().triageInvocation as TriageInvocation;
}
