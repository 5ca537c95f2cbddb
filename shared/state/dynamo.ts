/**
 * StateStore on the one DynamoDB table (docs/CONTRACTS.md). Every write two Lambda instances could race on
 * is conditional (incidents) or commutative (ADD on counters), so duplicates and bursts seen by two
 * instances at once still produce one alert.
 */
import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Alert, EventSample } from '../alerts/model';
import { parseStoredAlert, parseStoredSample } from '../alerts/schema';
import type { Severity } from '../playbook/types';
import type { Clock } from '../clock';
import { batchGetAll, batchWriteAll, type BatchOptions } from './dynamo-batch';
import { windowCounts, type BurstCount } from './burst-window';
import {
  ANY_DIGEST,
  type DeliveryClaim,
  type EventFingerprint,
  type IncidentRecord,
  type StateStore,
  type TimedEventId,
} from './store';
import { isConditionalCheckFailed, QTriageError } from '../errors';

export interface DynamoStateStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** How long a processed-event marker is kept: longer than any redelivery (SQS keeps messages ≤ 14 days). */
  readonly processedTtlSeconds?: number;
  /** Bucket size of the burst counters (items per principal and rule); the window itself is exact. */
  readonly burstBucketMs?: number;
}

const DAY_SECONDS = 86_400;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** Entries kept per burst bucket (about 50 bytes each): well under DynamoDB's 400 KB item limit. */
const MAX_BUCKET_IDS = 5000;

/**
 * The sparse index of incidents that owe a message no event will bring (closing update, held-back update): only
 * items with a `dueAt` are in it, under one partition value, sorted by `dueAt`. A handful at any time: one
 * partition is plenty, and the sweep never scans the table.
 */
export const DUE_INCIDENTS_INDEX = 'due-incidents';
const DUE_PARTITION = 'due';
const DUE_QUERY_PAGE = 100;

/** Under DynamoDB's 2,048-byte partition key limit with room to spare. */
const MAX_KEY_BYTES = 1024;

/**
 * `prefix#key`, or `prefix#sha256:<hex>` when that would be longer than MAX_KEY_BYTES: incident and burst keys
 * hold a principal key, and a forged principal can be long enough to make every write of its incident fail.
 */
export function partitionKey(prefix: string, key: string): string {
  const pk = `${prefix}#${key}`;
  return Buffer.byteLength(pk) <= MAX_KEY_BYTES
    ? pk
    : `${prefix}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** A state table item that does not hold what this version reads (written by hand, or by an incompatible version). */
export class CorruptItemError extends QTriageError {
  override readonly name = 'CorruptItemError';
}

function storedAlert(key: string, value: unknown): Alert {
  const parsed =
    typeof value === 'string' ? parseStoredAlert(value) : ({ ok: false, problem: 'not a string' } as const);
  if (!parsed.ok)
    throw new CorruptItemError(
      `incident ${partitionKey('incident', key)}: stored alert is unreadable (${parsed.problem})`,
    );
  return parsed.value;
}

/**
 * The sample a processed-event marker keeps is evidence for a reused eventID, not state: a marker without one
 * (written before samples existed) or with an unreadable one still marks the event done.
 */
function storedSample(eventId: string, value: unknown): EventSample {
  const parsed = typeof value === 'string' ? parseStoredSample(value) : undefined;
  return parsed?.ok === true ? parsed.value : { eventId, eventName: 'unknown', eventTime: '', resourceArns: [] };
}

export class DynamoStateStore implements StateStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: Clock;
  private readonly processedTtlSeconds: number;
  private readonly bucketMs: number;
  private readonly batch: BatchOptions;

  constructor(options: DynamoStateStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
    this.clock = options.clock;
    this.processedTtlSeconds = options.processedTtlSeconds ?? 15 * DAY_SECONDS;
    this.bucketMs = options.burstBucketMs ?? 30_000;
    this.batch = { client: options.client, tableName: options.tableName };
  }

  private ttl(seconds: number): number {
    return Math.floor(this.clock.now() / 1000) + seconds;
  }

  async processed(eventIds: readonly string[]): Promise<Map<string, EventFingerprint>> {
    const found = new Map<string, EventFingerprint>();
    for (const chunk of chunks([...new Set(eventIds)], BATCH_GET_LIMIT)) {
      const items = await batchGetAll(this.batch, {
        Keys: chunk.map((id) => ({ pk: `event#${id}`, sk: 'done' })),
        ProjectionExpression: 'pk, digest, #sample',
        ExpressionAttributeNames: { '#sample': 'sample' },
      });
      for (const item of items) {
        const eventId = String(item.pk).slice('event#'.length);
        // A marker written before digests existed matches any content: it was a real, triaged event.
        found.set(eventId, {
          eventId,
          digest: typeof item.digest === 'string' ? item.digest : ANY_DIGEST,
          sample: storedSample(eventId, item.sample),
        });
      }
    }
    return found;
  }

  async markProcessed(events: readonly EventFingerprint[]): Promise<void> {
    const ttl = this.ttl(this.processedTtlSeconds);
    const unique = [...new Map(events.map((event) => [event.eventId, event])).values()];
    for (const chunk of chunks(unique, BATCH_WRITE_LIMIT)) {
      await batchWriteAll(
        this.batch,
        chunk.map((event) => ({
          PutRequest: {
            Item: {
              pk: `event#${event.eventId}`,
              sk: 'done',
              ttl,
              digest: event.digest,
              sample: JSON.stringify(event.sample),
            },
          },
        })),
      );
    }
  }

  /**
   * Counters in fixed buckets, each the set of `time|eventID` entries counted in it: adding an entry twice (a
   * redelivery, a retried batch, another container) counts it once. Counts are over every entry, whatever order
   * they arrived in (burst-window.ts). Past MAX_BUCKET_IDS entries a bucket counts in a plain number (far above
   * any threshold, and under DynamoDB's item size limit).
   */
  async addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<BurstCount[]> {
    if (events.length === 0) return [];
    const pk = partitionKey('burst', key);
    const bucketOf = (time: number): number => Math.floor(time / this.bucketMs) * this.bucketMs;
    const sortKey = (bucket: number): string => String(bucket).padStart(15, '0');
    const added = new Map<number, Set<string>>();
    for (const event of events) {
      const entries = added.get(bucketOf(event.time)) ?? new Set<string>();
      entries.add(`${event.time}|${event.eventId}`);
      added.set(bucketOf(event.time), entries);
    }
    const ttl = this.ttl(Math.ceil((windowMs * 2) / 1000) + 3600);
    for (const [bucket, entries] of added) {
      const Key = { pk, sk: sortKey(bucket) };
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'ADD #ids :ids SET #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#ids) OR size(#ids) < :max',
            ExpressionAttributeNames: { '#ids': 'ids', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':ids': entries, ':ttl': ttl, ':max': MAX_BUCKET_IDS },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'ADD #extra :n SET #ttl = :ttl',
            ExpressionAttributeNames: { '#extra': 'extra', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':n': entries.size, ':ttl': ttl },
          }),
        );
      }
    }
    const earliest = bucketOf(Math.min(...events.map((event) => event.time)) - windowMs);
    const latest = bucketOf(Math.max(...events.map((event) => event.time)) + windowMs);
    const times: number[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': sortKey(earliest), ':to': sortKey(latest) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of response.Items ?? []) {
        for (const entry of (item.ids as Set<string> | undefined) ?? [])
          times.push(Number(entry.slice(0, entry.indexOf('|'))));
        // Past the entry limit only a number is kept: those events count at their bucket's start.
        for (let n = 0; n < Number(item.extra ?? 0); n += 1) times.push(Number(item.sk));
      }
      startKey = response.LastEvaluatedKey;
    } while (startKey !== undefined);
    times.sort((a, b) => a - b);
    return windowCounts(
      times,
      events.map((event) => event.time),
      windowMs,
    );
  }

  async getIncident(key: string): Promise<IncidentRecord | undefined> {
    const response = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: partitionKey('incident', key), sk: 'current' },
        ConsistentRead: true,
      }),
    );
    const item = response.Item;
    if (item === undefined) return undefined;
    return {
      key,
      version: Number(item.version),
      published: item.published === true,
      announcedUpdates: Number(item.announcedUpdates ?? 0),
      pagedSeverity: typeof item.pagedSeverity === 'string' ? (item.pagedSeverity as Severity) : undefined,
      announcedAt: typeof item.announcedAt === 'number' ? item.announcedAt : undefined,
      closedAtUpdate: typeof item.closedAtUpdate === 'number' ? item.closedAtUpdate : undefined,
      dueAt: typeof item.dueAt === 'number' ? item.dueAt : undefined,
      alert: storedAlert(key, item.alert),
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
            announcedUpdates: record.announcedUpdates,
            ...(record.pagedSeverity !== undefined ? { pagedSeverity: record.pagedSeverity } : {}),
            ...(record.announcedAt !== undefined ? { announcedAt: record.announcedAt } : {}),
            ...(record.closedAtUpdate !== undefined ? { closedAtUpdate: record.closedAtUpdate } : {}),
            // In the due index only while it owes a message (sparse); the key, since a long one is hashed in pk.
            ...(record.dueAt !== undefined ? { duePartition: DUE_PARTITION, dueAt: record.dueAt } : {}),
            incidentKey: record.key,
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
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async dueIncidents(now: number, limit: number): Promise<string[]> {
    const keys: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: DUE_INCIDENTS_INDEX,
          KeyConditionExpression: 'duePartition = :due AND dueAt <= :now',
          ExpressionAttributeValues: { ':due': DUE_PARTITION, ':now': now },
          ProjectionExpression: 'incidentKey',
          Limit: Math.min(DUE_QUERY_PAGE, limit - keys.length),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of response.Items ?? []) if (typeof item.incidentKey === 'string') keys.push(item.incidentKey);
      startKey = response.LastEvaluatedKey;
    } while (startKey !== undefined && keys.length < limit);
    return keys;
  }

  async claimDelivery(messageId: string, now: number, leaseMs: number): Promise<DeliveryClaim> {
    const Key = { pk: `delivery#${messageId}`, sk: 'message' };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...Key, state: 'sending', leaseUntil: now + leaseMs, ttl: this.ttl(this.processedTtlSeconds) },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.client.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
    return current.Item?.state === 'delivered' ? 'delivered' : 'busy';
  }

  async markDelivered(messageId: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `delivery#${messageId}`,
          sk: 'message',
          state: 'delivered',
          ttl: this.ttl(this.processedTtlSeconds),
        },
      }),
    );
  }

  async releaseDelivery(messageId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `delivery#${messageId}`, sk: 'message' },
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async reservePage(hourStart: number, messageId: string, cap: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `pages#${hourStart}`, sk: 'slots' },
          UpdateExpression: 'ADD held :id SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(held) OR size(held) < :cap OR contains(held, :message)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':id': new Set([messageId]),
            ':message': messageId,
            ':cap': cap,
            ':ttl': Math.floor(hourStart / 1000) + 2 * DAY_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async releasePage(hourStart: number, messageId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `pages#${hourStart}`, sk: 'slots' },
        UpdateExpression: 'DELETE held :id',
        ExpressionAttributeValues: { ':id': new Set([messageId]) },
      }),
    );
  }
}
