import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchGetAll,
  batchWriteAll,
  UnprocessedItemsError,
  type BatchOptions,
} from '../../../shared/state/dynamo-batch';

const TABLE = 'q-triage-test-state';
const put = (id: string) => ({ PutRequest: { Item: { pk: `event#${id}`, sk: 'done' } } });

/** A client whose every answer is given by `answer`, recording what each call asked for. */
function clientAnswering(answer: (input: Record<string, unknown>, call: number) => unknown): {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  inputs: unknown[];
} {
  const inputs: unknown[] = [];
  const client = {
    send: async (command: BatchGetCommand | BatchWriteCommand) => {
      inputs.push(command.input);
      return answer(command.input as Record<string, unknown>, inputs.length);
    },
  } as unknown as Pick<DynamoDBDocumentClient, 'send'>;
  return { client, inputs };
}

function options(client: Pick<DynamoDBDocumentClient, 'send'>, waits: number[] = []): BatchOptions {
  return { client, tableName: TABLE, sleep: async (ms) => void waits.push(ms) };
}

test('BatchWrite sends only what was left unprocessed again, waiting between rounds', async () => {
  const waits: number[] = [];
  const { client, inputs } = clientAnswering((_input, call) =>
    call === 1 ? { UnprocessedItems: { [TABLE]: [put('b')] } } : {},
  );

  await batchWriteAll(options(client, waits), [put('a'), put('b')]);

  expect(inputs).toEqual([
    { RequestItems: { [TABLE]: [put('a'), put('b')] } },
    { RequestItems: { [TABLE]: [put('b')] } },
  ]);
  expect(waits).toHaveLength(1);
});

test('BatchWrite gives up with UnprocessedItemsError after the policy attempts', async () => {
  const { client, inputs } = clientAnswering(() => ({ UnprocessedItems: { [TABLE]: [put('a')] } }));

  const write = batchWriteAll({ ...options(client), policy: { maxAttempts: 3, baseMs: 1, maxDelayMs: 1 } }, [put('a')]);

  await expect(write).rejects.toBeInstanceOf(UnprocessedItemsError);
  await expect(write).rejects.toThrow('BatchWrite left 1 unprocessed on attempt 3 of 3');
  expect(inputs).toHaveLength(3);
});

test('BatchGet returns the items of every round and asks again only for the unprocessed keys, with the same projection', async () => {
  const { client, inputs } = clientAnswering((_input, call) =>
    call === 1
      ? {
          Responses: { [TABLE]: [{ pk: 'event#a' }] },
          UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'event#b', sk: 'done' }] } },
        }
      : { Responses: { [TABLE]: [{ pk: 'event#b' }] } },
  );

  const items = await batchGetAll(options(client), {
    Keys: [
      { pk: 'event#a', sk: 'done' },
      { pk: 'event#b', sk: 'done' },
    ],
    ProjectionExpression: 'pk, digest',
  });

  expect(items).toEqual([{ pk: 'event#a' }, { pk: 'event#b' }]);
  expect(inputs[1]).toEqual({
    RequestItems: { [TABLE]: { Keys: [{ pk: 'event#b', sk: 'done' }], ProjectionExpression: 'pk, digest' } },
  });
});
