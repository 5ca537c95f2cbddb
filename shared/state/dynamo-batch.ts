/**
 * BatchGet and BatchWrite to the end. DynamoDB answers a batch it could not finish with the unprocessed part
 * (throttling, size), and asks for it again with exponential backoff (DynamoDB developer guide, "Batch
 * operations"): the SDK's retries do not cover it, the one retry helper does.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { QTriageError } from '../errors';
import { retry, type RetryPolicy } from '../retry';

type KeysAndAttributes = NonNullable<BatchGetCommandInput['RequestItems']>[string];
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];
type Item = NonNullable<BatchGetCommandOutput['Responses']>[string][number];

/** DynamoDB kept part of a batch unprocessed through every attempt. */
export class UnprocessedItemsError extends QTriageError {
  override readonly name = 'UnprocessedItemsError';
}

export const UNPROCESSED_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 100, maxDelayMs: 1000 };

export interface BatchOptions {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  readonly policy?: RetryPolicy;
  /** Injected by tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (unprocessed: number, attempt: number) => void;
}

async function untilProcessed<T>(
  options: BatchOptions,
  operation: string,
  first: T,
  send: (pending: T) => Promise<T | undefined>,
  size: (pending: T) => number,
): Promise<void> {
  let pending = first;
  await retry(
    options.policy ?? UNPROCESSED_RETRY,
    async (attempt) => {
      const rest = await send(pending);
      if (rest === undefined || size(rest) === 0) return;
      pending = rest;
      throw new UnprocessedItemsError(
        `${operation} left ${size(rest)} unprocessed on attempt ${attempt} of ${(options.policy ?? UNPROCESSED_RETRY).maxAttempts}`,
      );
    },
    {
      retryable: (error) => error instanceof UnprocessedItemsError,
      ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
      onRetry: ({ attempt }) => options.onRetry?.(size(pending), attempt),
    },
  );
}

/** Every item of one BatchGet request (at most 100 keys), unprocessed keys asked again. */
export async function batchGetAll(options: BatchOptions, request: KeysAndAttributes): Promise<Item[]> {
  const items: Item[] = [];
  await untilProcessed(
    options,
    'BatchGet',
    request,
    async (pending) => {
      const response: BatchGetCommandOutput = await options.client.send(
        new BatchGetCommand({ RequestItems: { [options.tableName]: pending } }),
      );
      items.push(...(response.Responses?.[options.tableName] ?? []));
      const rest = response.UnprocessedKeys?.[options.tableName];
      // The request's projection with the keys left: never a full item where the caller asked for three fields.
      return rest === undefined ? undefined : { ...request, Keys: rest.Keys ?? [] };
    },
    (pending) => pending.Keys?.length ?? 0,
  );
  return items;
}

/** One BatchWrite request (at most 25 items) written to the end, unprocessed items sent again. */
export async function batchWriteAll(options: BatchOptions, requests: WriteRequest[]): Promise<void> {
  await untilProcessed(
    options,
    'BatchWrite',
    requests,
    async (pending) => {
      const response: BatchWriteCommandOutput = await options.client.send(
        new BatchWriteCommand({ RequestItems: { [options.tableName]: pending } }),
      );
      return response.UnprocessedItems?.[options.tableName];
    },
    (pending) => pending.length,
  );
}
