/**
 * StateStore on the one DynamoDB table (docs/CONTRACTS.md). Every write two Lambda instances could race on
 * is conditional (incidents) or commutative (ADD on counters), so duplicates and bursts seen by two
 * instances at once still produce one alert.
 */
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Alert } from '../alerts/model';
import type { Clock } from '../clock';
import { sleep } from '../clock';
import type { IncidentRecord, StateStore, TimedEventId } from './store';

export interface DynamoStateStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** How long a processed-event marker is kept: longer than any redelivery (SQS keeps messages ≤ 14 days). */
  readonly processedTtlSeconds?: number;
  /** Bucket size of the burst counters; the sliding window is approximated to one bucket. */
  readonly burstBucketMs?: number;
}

const DAY_SECONDS = 86_400;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

/** Under DynamoDB's 2,048-byte partition key limit with room to spare. */
const MAX_KEY_BYTES = 1024;

/**
 * `prefix#key`, or `prefix#sha256:<hex>` when that would be longer than MAX_KEY_BYTES: incident and burst keys
 * hold a principal key, and a forged principal can be long enough to make every write of its incident fail.
 */
export function partitionKey(prefix: string, key: string): string {
  const pk = `${prefix}#${key}`;
  return Buffer.byteLength(pk) <= MAX_KEY_BYTES ? pk : `${prefix}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

const isConditionalFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoStateStore implements StateStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: Clock;
  private readonly processedTtlSeconds: number;
  private readonly bucketMs: number;

  constructor(options: DynamoStateStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.clock = options.clock;
    this.processedTtlSeconds = options.processedTtlSeconds ?? 15 * DAY_SECONDS;
    this.bucketMs = options.burstBucketMs ?? 30_000;
  }

  private ttl(seconds: number): number {
    return Math.floor(this.clock.now() / 1000) + seconds;
  }

  async processed(eventIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks([...new Set(eventIds)], BATCH_GET_LIMIT)) {
      let keys: Record<string, unknown>[] | undefined = chunk.map((id) => ({ pk: `event#${id}`, sk: 'done' }));
      for (let round = 0; keys !== undefined && keys.length > 0; round += 1) {
        if (round >= MAX_UNPROCESSED_ROUNDS) throw new StateStoreError('BatchGet kept returning unprocessed keys');
        if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
        const response: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ProjectionExpression: 'pk' } } }),
        );
        for (const item of response.Responses?.[this.table] ?? []) found.add(String(item.pk).slice('event#'.length));
        keys = response.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async markProcessed(eventIds: readonly string[]): Promise<void> {
    const ttl = this.ttl(this.processedTtlSeconds);
    for (const chunk of chunks([...new Set(eventIds)], BATCH_WRITE_LIMIT)) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] | undefined = chunk.map((id) => ({
        PutRequest: { Item: { pk: `event#${id}`, sk: 'done', ttl } },
      }));
      for (let round = 0; requests !== undefined && requests.length > 0; round += 1) {
        if (round >= MAX_UNPROCESSED_ROUNDS) throw new StateStoreError('BatchWrite kept returning unprocessed items');
        if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
        const response: BatchWriteCommandOutput = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = response.UnprocessedItems?.[this.table];
      }
    }
  }

  /**
   * Counters in fixed buckets (ADD is atomic, so concurrent instances sum correctly). The count for an
   * event is: its bucket's earlier events plus the buckets before it that fall within the window.
   */
  async addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<number[]> {
    if (events.length === 0) return [];
    const pk = partitionKey('burst', key);
    const bucketOf = (time: number): number => Math.floor(time / this.bucketMs) * this.bucketMs;
    const added = new Map<number, number>();
    for (const event of events) added.set(bucketOf(event.time), (added.get(bucketOf(event.time)) ?? 0) + 1);
    const ttl = this.ttl(Math.ceil((windowMs * 2) / 1000) + 3600);
    const stored = new Map<number, number>();
    for (const [bucket, count] of added) {
      const response = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: String(bucket).padStart(15, '0') },
          UpdateExpression: 'ADD #count :n SET #ttl = :ttl',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':n': count, ':ttl': ttl },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      stored.set(bucket, Number(response.Attributes?.count ?? count));
    }
    const bucketsInWindow = Math.max(1, Math.floor(windowMs / this.bucketMs));
    const earliest = bucketOf(Math.min(...events.map((event) => event.time))) - bucketsInWindow * this.bucketMs;
    const latest = bucketOf(Math.max(...events.map((event) => event.time)));
    const response = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': String(earliest).padStart(15, '0'), ':to': String(latest).padStart(15, '0') },
        ConsistentRead: true,
      }),
    );
    for (const item of response.Items ?? []) {
      const bucket = Number(item.sk);
      if (!stored.has(bucket)) stored.set(bucket, Number(item.count ?? 0));
    }
    const seenInBucket = new Map<number, number>();
    return events.map((event) => {
      const bucket = bucketOf(event.time);
      const position = (seenInBucket.get(bucket) ?? 0) + 1;
      seenInBucket.set(bucket, position);
      let count = (stored.get(bucket) ?? 0) - (added.get(bucket) ?? 0) + position;
      for (let step = 1; step < bucketsInWindow; step += 1) count += stored.get(bucket - step * this.bucketMs) ?? 0;
      return count;
    });
  }

  async getIncident(key: string): Promise<IncidentRecord | undefined> {
    const response = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: partitionKey('incident', key), sk: 'current' }, ConsistentRead: true }),
    );
    const item = response.Item;
    if (item === undefined) return undefined;
    return {
      key,
      version: Number(item.version),
      published: item.published === true,
      publishLeaseUntil: Number(item.publishLeaseUntil ?? 0),
      alert: JSON.parse(String(item.alert)) as Alert,
    };
  }

  async putIncident(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: partitionKey('incident', record.key),
            sk: 'current',
            version: record.version,
            published: record.published,
            publishLeaseUntil: record.publishLeaseUntil,
            alertId: record.alert.id,
            alert: JSON.stringify(record.alert),
            // Kept two days past the last event: long enough for any window, short enough to stay small.
            ttl: Math.floor(Math.max(this.clock.now(), Date.parse(record.alert.lastSeen)) / 1000) + 2 * DAY_SECONDS,
          },
          ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues: expectedVersion === undefined ? undefined : { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  async countPage(hourStart: number): Promise<number> {
    const response = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `pages#${hourStart}`, sk: 'count' },
        UpdateExpression: 'ADD pages :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.floor(hourStart / 1000) + 2 * DAY_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(response.Attributes?.pages ?? 1);
  }
}
