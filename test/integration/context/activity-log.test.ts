/** The DynamoDB activity log against dynalite. */
import { GetCommand, type BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoActivityLog, summarizeActivity } from '../../../shared/context';
import { fixedClock } from '../../../shared/clock';
import { createLogger } from '../../../shared/logger';
import {
  APP_ARN,
  APP_ID,
  DATA_RECORDS,
  MANAGEMENT_RECORDS,
  NOW,
  SESSION_ARN,
  timelineRecord,
} from '../../support/timeline';
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
  new DynamoActivityLog({
    client,
    tableName: table.tableName,
    logger: createLogger({ silent: true }),
    clock: fixedClock(NOW),
    sleep: async () => undefined,
    ...(limit !== undefined ? { limit } : {}),
  });
const events = [...MANAGEMENT_RECORDS, ...DATA_RECORDS].map((record) => triageEvent(structuredClone(record)));

test('stores an entry under the principal with the ISO time and event id as sort key and a 7-day TTL', async () => {
  const event = events.find((candidate) => candidate.eventId === 'evt-1130-delete-index');
  await logFor().append(event === undefined ? [] : [event]);

  const { Item } = await table.documents.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { pk: `activity#${SESSION_ARN}`, sk: '2026-11-23T11:30:00.000Z#evt-1130-delete-index' },
    }),
  );

  expect(Item?.ttl).toBe(Date.parse('2026-11-30T11:30:00Z') / 1000);
  expect(Item?.eventName).toBe('DeleteIndex');
});

test('returns the entries since a time, oldest first', async () => {
  await logFor().append(events);

  const entries = await logFor().query(SESSION_ARN, Date.parse('2026-11-23T10:00:00Z'));

  expect(entries.map((entry) => entry.eventId)).toEqual([
    'evt-1000-chat',
    'evt-1010-sync',
    'evt-1030-chat-controls',
    'evt-1100-denied-plugin',
    'evt-1130-delete-index',
  ]);
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
    triageEvent(
      timelineRecord({
        id: `evt-bulk-${String(index).padStart(2, '0')}`,
        name: 'ChatSync',
        at: `08:${String(index % 60).padStart(2, '0')}`,
        category: 'Data',
      }),
    ),
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

describe('routine events rolled up per principal per hour', () => {
  const ROUTINE = new Set(['evt-0905-get-plugin', 'evt-1000-chat', 'chat-a', 'chat-b', 'chat-c']);
  const more = [
    timelineRecord({
      id: 'chat-a',
      name: 'ChatSync',
      at: '10:02',
      category: 'Data',
      request: { applicationId: APP_ID, attachments: [{ name: 'a.pdf' }, { name: 'b.pdf' }] },
      resources: [APP_ARN],
      sourceIp: '198.51.100.77',
    }),
    timelineRecord({
      id: 'chat-b',
      name: 'ChatSync',
      at: '10:05',
      category: 'Data',
      request: { applicationId: APP_ID },
      resources: [APP_ARN],
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    }),
    timelineRecord({
      id: 'chat-c',
      name: 'ChatSync',
      at: '11:45',
      category: 'Data',
      request: { applicationId: APP_ID },
      resources: [APP_ARN],
    }),
  ].map((record) => triageEvent(record));
  const all = [...events, ...more];
  const since = Date.parse('2026-11-22T12:00:00Z');
  const summary = async (log: DynamoActivityLog) => {
    const entries = await log.query(SESSION_ARN, since);
    const earliest = await log.earliest(SESSION_ARN);
    return summarizeActivity({
      entries,
      windowHours: 24,
      sinceMs: since,
      retentionDays: 7,
      complete: true,
      ...(earliest !== undefined ? { earliest: earliest.time } : {}),
    });
  };

  test('the context answers the same from roll-ups as from one item per event', async () => {
    const other = await startDynamo();
    try {
      const perEvent = new DynamoActivityLog({
        client: other.documents,
        tableName: other.tableName,
        logger: createLogger({ silent: true }),
        clock: fixedClock(NOW),
      });
      await perEvent.append(all);
      const rolled = logFor();
      rolled.rollUp(all.filter((event) => ROUTINE.has(event.eventId)));
      await rolled.append(all.filter((event) => !ROUTINE.has(event.eventId)));
      await rolled.flushRollUps({ principalKeys: [SESSION_ARN] });

      const [expected, actual] = await Promise.all([summary(perEvent), summary(rolled)]);

      expect(actual.answers).toEqual(expected.answers);
      expect(actual.firstSeen).toBe(expected.firstSeen);
      expect(new Set(actual.sourceIps)).toEqual(new Set(expected.sourceIps));
      expect(new Set(actual.userAgents)).toEqual(new Set(expected.userAgents));
      expect(actual.answers.some(({ answer }) => answer.includes('ChatSync ×4'))).toBe(true);
      expect(actual.answers.some(({ answer }) => answer.includes('Files attached to chat: 2 in 1 call(s)'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  test('one item per principal-hour, whatever the number of events; a second flush adds to it', async () => {
    const chats = Array.from({ length: 40 }, (_, i) =>
      triageEvent(
        timelineRecord({
          id: `bulk-${i}`,
          name: 'ChatSync',
          at: `10:${String(i).padStart(2, '0')}`,
          category: 'Data',
          request: { applicationId: APP_ID },
          resources: [APP_ARN],
        }),
      ),
    );
    const log = logFor();
    log.rollUp(chats.slice(0, 30));
    await log.flushRollUps({ principalKeys: [SESSION_ARN] });
    log.rollUp(chats.slice(30));
    await log.flushRollUps({ principalKeys: [SESSION_ARN] });

    const { Item } = await table.documents.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { pk: `activity#${SESSION_ARN}`, sk: '2026-11-23T10:00:00.000Z#rollup' },
      }),
    );
    const entries = await log.query(SESSION_ARN, since);

    expect(Item?.rollup).toBe(true);
    expect(Item?.ttl).toBe(Date.parse('2026-11-30T11:00:00Z') / 1000);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ eventName: 'ChatSync', count: 40, ids: { applicationId: APP_ID } });
  });

  test('held counts are written only when due: fifteen minutes of events, or before a context read (all)', async () => {
    const log = logFor();
    log.rollUp(more.slice(0, 2));
    await log.flushRollUps('due');
    expect(await log.query(SESSION_ARN, since)).toEqual([]);

    log.rollUp(more.slice(2));
    await log.flushRollUps('due');
    const entries = await log.query(SESSION_ARN, since);
    expect(entries.reduce((sum, entry) => sum + (entry.count ?? 1), 0)).toBe(3);
  });
});
