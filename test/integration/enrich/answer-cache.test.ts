/** The DynamoDB answer cache and playbook version reader against dynalite (the real DynamoDB protocol). */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '../../../shared/clock';
import {
  buildQuestion,
  cachePk,
  createEnricher,
  createPlaybookVersionReader,
  DynamoAnswerCache,
  type CachedAnswer,
} from '../../../shared/enrich';
import { createLogger } from '../../../shared/logger';
import { createStateTable, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { alertFor } from '../../support/alerts';
import { ScriptedSource } from '../../unit/enrich/source-script';

const TABLE = 'q-triage-state';
const NOW = Date.parse('2026-05-01T10:00:00Z');
const KEY = { source: 'qbusiness', questionKey: 'q1', locale: 'en', playbookVersion: 'v1' };
const ANSWER: CachedAnswer = {
  status: 'answered',
  answer: 'Delete the plugin.',
  citations: [{ title: 'Plugins', url: 'https://x/p' }],
  source: 'qbusiness',
  answeredAt: '2026-05-01T10:00:00.000Z',
};

describe('DynamoAnswerCache on dynalite', () => {
  let dynamo: LocalDynamo;
  let doc: DynamoDBDocumentClient;
  let tableCounter = 0;
  let tableName = TABLE;

  beforeAll(async () => {
    dynamo = await startDynamo(TABLE);
    doc = dynamo.documents;
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    tableCounter += 1;
    tableName = `${TABLE}-${tableCounter}`;
    await createStateTable(dynamo.client, tableName);
  });

  const cacheAt = (clock = fixedClock(NOW)) => new DynamoAnswerCache({ doc, tableName, clock, ttlSeconds: 3600 });

  test('stores an answer under answer#<source>#<questionKey>#<locale>#<version> with a TTL in epoch seconds', async () => {
    await cacheAt().put(KEY, ANSWER);

    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'answer#qbusiness#q1#en#v1', sk: 'answer' } }),
    );
    expect(Item?.ttl).toBe(NOW / 1000 + 3600);
    expect(cachePk(KEY)).toBe('answer#qbusiness#q1#en#v1');
  });

  test('reads back what it stored', async () => {
    const cache = cacheAt();
    await cache.put(KEY, ANSWER);

    expect(await cache.get(KEY)).toEqual(ANSWER);
  });

  test('misses for another playbook version', async () => {
    const cache = cacheAt();
    await cache.put(KEY, ANSWER);

    expect(await cache.get({ ...KEY, playbookVersion: 'v2' })).toBeUndefined();
  });

  test('ignores an item past its TTL that DynamoDB has not deleted yet', async () => {
    const clock = fixedClock(NOW);
    const cache = cacheAt(clock);
    await cache.put(KEY, ANSWER);
    clock.advance(3601 * 1000);

    expect(await cache.get(KEY)).toBeUndefined();
  });

  test('grants the lease to one of two callers', async () => {
    const cache = cacheAt();

    const results = await Promise.all([cache.acquireLease(KEY, 'a', 5000), cache.acquireLease(KEY, 'b', 5000)]);

    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('grants the lease again once the holder released it', async () => {
    const cache = cacheAt();
    await cache.acquireLease(KEY, 'a', 5000);
    await cache.releaseLease(KEY, 'a');

    expect(await cache.acquireLease(KEY, 'b', 5000)).toBe(true);
  });

  test('grants an expired lease to another caller', async () => {
    const clock = fixedClock(NOW);
    const cache = cacheAt(clock);
    await cache.acquireLease(KEY, 'a', 5000);
    clock.advance(5001);

    expect(await cache.acquireLease(KEY, 'b', 5000)).toBe(true);
  });

  test('never grants a lease over a stored answer', async () => {
    const cache = cacheAt();
    await cache.put(KEY, ANSWER);

    expect(await cache.acquireLease(KEY, 'b', 5000)).toBe(false);
  });

  test('asks the source once for two concurrent misses from two containers', async () => {
    const clock = fixedClock(NOW);
    const source = new ScriptedSource([]);
    const container = (holder: string) =>
      createEnricher({
        source,
        cache: cacheAt(clock),
        playbookVersion: async () => 'v1',
        clock,
        logger: createLogger({ silent: true }),
        budgetMs: 2000,
        pollMs: 10,
        holder,
      });
    const alert = alertFor('playbook/CreatePlugin');

    const [first, second] = await Promise.all([container('a').enrich(alert), container('b').enrich(alert)]);

    expect(source.calls).toBe(1);
    expect([first.status, second.status]).toEqual(['answered', 'answered']);
    expect([first.cached, second.cached].sort()).toEqual([false, true]);
  });

  test('stores the answer under the question key of the rule', async () => {
    const clock = fixedClock(NOW);
    const alert = alertFor('playbook/CreatePlugin');
    const enricher = createEnricher({
      source: new ScriptedSource([]),
      cache: cacheAt(clock),
      playbookVersion: async () => 'v7',
      clock,
      logger: createLogger({ silent: true }),
      budgetMs: 2000,
    });

    await enricher.enrich(alert);

    const pk = cachePk({
      source: 'qbusiness',
      questionKey: buildQuestion(alert, 'en').key,
      locale: 'en',
      playbookVersion: 'v7',
    });
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'answer' } }));
    expect(Item?.state).toBe('answer');
  });

  describe('playbook version reader', () => {
    test('reads the version resync wrote', async () => {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: 'playbook#version',
            sk: 'current',
            version: 'abc123',
            commit: 'abc123',
            syncedAt: '2026-05-01T09:00:00Z',
            ttl: 0,
          },
        }),
      );

      expect(await createPlaybookVersionReader({ doc, tableName, clock: fixedClock(NOW) })()).toBe('abc123');
    });

    test('reports unsynced before the first resync', async () => {
      expect(await createPlaybookVersionReader({ doc, tableName, clock: fixedClock(NOW) })()).toBe('unsynced');
    });

    test('keeps the version for a minute, then reads it again', async () => {
      const clock = fixedClock(NOW);
      const read = createPlaybookVersionReader({ doc, tableName, clock });
      const write = (version: string) =>
        doc.send(
          new PutCommand({ TableName: tableName, Item: { pk: 'playbook#version', sk: 'current', version, ttl: 0 } }),
        );
      await write('v1');
      await read();
      await write('v2');

      const within = await read();
      clock.advance(60_001);
      const after = await read();

      expect([within, after]).toEqual(['v1', 'v2']);
    });
  });
});
