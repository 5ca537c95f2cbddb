/** The triage handler as a new Lambda container loads it: a fresh module, so per-container state starts empty. */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type TriageHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** `triageBatch` is the inner function, `handler` the middy-wrapped one that Lambda calls. */
export function coldStartTriage(entry: 'triageBatch' | 'handler' = 'triageBatch'): TriageHandler {
  let handler: TriageHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module per cold start
    handler = (require('../../functions/triage/handler') as Record<typeof entry, TriageHandler>)[entry];
  });
  if (handler === undefined) throw new Error('handler did not load');
  return handler;
}
