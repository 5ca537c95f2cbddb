/** The DynamoDB activity log against dynalite. */
import { GetCommand, type BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoActivityLog } from '../../../shared/context';
import { fixedClock } from '../../../shared/clock';
import { createLogger } from '../../../shared/logger';
import { DATA_RECORDS, MANAGEMENT_RECORDS, NOW, SESSION_ARN, timelineRecord } from '../../support/timeline';
import { triageEvent } from '../../support/cloudtrail';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';

let table: LocalDynamo;
beforeEach(async () => {
  table = await startDynamo();
});
afterEach(async () => {
  await table.close();
});

const logFor = (client = table.documents, limit?: number) =>
  new DynamoActivityLog({ client, tableName: table.tableName, logger: createLogger({ silent: true }), clock: fixedClock(NOW), sleep: async () => undefined, ...(limit !== undefined ? { limit } : {}) });
const events = [...MANAGEMENT_RECORDS, ...DATA_RECORDS].map((record) => triageEvent(structuredClone(record)));

test('stores an entry under the principal with the ISO time and event id as sort key and a 7-day TTL', async () => {
  const event = events.find((candidate) => candidate.eventId === 'evt-1130-delete-index');
  await logFor().append(event === undefined ? [] : [event]);

  const { Item } = await table.documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `activity#${SESSION_ARN}`, sk: '2026-11-23T11:30:00.000Z#evt-1130-delete-index' } }));

  expect(Item?.ttl).toBe(Date.parse('2026-11-30T11:30:00Z') / 1000);
  expect(Item?.eventName).toBe('DeleteIndex');
});

test('returns the entries since a time, oldest first', async () => {
  await logFor().append(events);

  const entries = await logFor().query(SESSION_ARN, Date.parse('2026-11-23T10:00:00Z'));

  expect(entries.map((entry) => entry.eventId)).toEqual(['evt-1000-chat', 'evt-1010-sync', 'evt-1030-chat-controls', 'evt-1100-denied-plugin', 'evt-1130-delete-index']);
});

test('keeps the extracted ids and document counts, not the request itself', async () => {
  await logFor().append(events);

  const [upload] = await logFor().query(SESSION_ARN, Date.parse('2026-11-23T09:30:00Z'));

  expect(upload?.documents).toBe(3);
  expect(upload?.ids.indexId).toBe('a1b2c3d4-0000-4000-8000-00000000b002');
  expect(upload).not.toHaveProperty('requestParameters');
});

test('writes more than 25 events in several batches', async () => {
  const many = Array.from({ length: 60 }, (_, index) =>
    triageEvent(timelineRecord({ id: `evt-bulk-${String(index).padStart(2, '0')}`, name: 'ChatSync', at: `08:${String(index % 60).padStart(2, '0')}`, category: 'Data' })),
  );
  await logFor().append(many);

  const entries = await logFor().query(SESSION_ARN, 0);

  expect(entries).toHaveLength(60);
});

test('returns only the newest entries when over the limit', async () => {
  await logFor().append(events);

  const entries = await logFor(table.documents, 2).query(SESSION_ARN, 0);

  expect(entries.map((entry) => entry.eventId)).toEqual(['evt-1100-denied-plugin', 'evt-1130-delete-index']);
});

test('finds the earliest entry still within retention', async () => {
  await logFor().append(events);

  const earliest = await logFor().earliest(SESSION_ARN);

  expect(earliest?.eventId).toBe('evt-0900-create-plugin');
});

test('retries the unprocessed items of a batch until they are written', async () => {
  let calls = 0;
  const flaky = {
    send: async (command: BatchWriteCommand) => {
      calls += 1;
      const output = await table.documents.send(command);
      const items = command.input.RequestItems?.[table.tableName] ?? [];
      // The first response pretends DynamoDB left the last two items unprocessed (they were written anyway: puts are idempotent).
      return calls === 1 ? { ...output, UnprocessedItems: { [table.tableName]: items.slice(-2) } } : output;
    },
  } as unknown as typeof table.documents;

  await logFor(flaky).append(events.slice(0, 5));

  expect(calls).toBe(2);
});
