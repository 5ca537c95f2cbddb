/**
 * The activity log in the state table: `pk=activity#<principalKey>`, `sk=<ISO time>#<eventID>`,
 * `ttl` = event time + 7 days (epoch seconds). Writes are idempotent (same key for a redelivered event).
 * Routine events are rolled up instead (activity-rollup.ts): one item per principal-hour,
 * `sk=<ISO hour>#rollup`, whose counts each flush adds to.
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimit } from '../concurrency';
import { QTriageError } from '../errors';
import type { TriageEvent } from '../events';
import type { RollupScope } from '../engine/types';
import type { Clock } from '../clock';
import { sleep as realSleep } from '../clock';
import type { Logger } from '../logger';
import {
  ACTIVITY_RETENTION_MS,
  activityEntrySchema,
  toActivityEntry,
  type ActivityEntry,
  type ActivityLog,
} from './activity';
import {
  ATTACHMENTS_PREFIX,
  COUNT_PREFIX,
  MAX_ROLLUP_SOURCE_IPS,
  MAX_ROLLUP_USER_AGENTS,
  RollupBuffer,
  rollupEntries,
  type Rollup,
} from './activity-rollup';
import * as z from 'zod/mini';
import { batchWriteAll } from '../state/dynamo-batch';

const BATCH_SIZE = 25;

/** Some roll-ups could not be written; their counts are kept for the next flush. */
export class RollupWriteError extends QTriageError {
  override readonly name = 'RollupWriteError';
}

export interface DynamoActivityLogOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Most entries returned by one query (the newest ones). */
  readonly limit?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const activityPk = (principalKey: string): string => `activity#${principalKey}`;
export const activitySk = (time: number, eventId: string): string => `${new Date(time).toISOString()}#${eventId}`;
export const rollupSk = (hourStart: number): string => `${new Date(hourStart).toISOString()}#rollup`;
const HOUR_MS = 3_600_000;

const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: unknown }).name === 'ConditionalCheckFailedException';

export class DynamoActivityLog implements ActivityLog {
  private readonly limit: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly rollups = new RollupBuffer();

  constructor(private readonly options: DynamoActivityLogOptions) {
    this.limit = options.limit ?? 500;
    this.sleep = options.sleep ?? realSleep;
  }

  async append(events: readonly TriageEvent[]): Promise<void> {
    // One item per key: a batch may not hold the same key twice.
    const items = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const entry = toActivityEntry(event);
      const item = {
        pk: activityPk(event.principal.key),
        sk: activitySk(entry.time, entry.eventId),
        ttl: Math.floor((entry.time + ACTIVITY_RETENTION_MS) / 1000),
        ...entry,
      };
      items.set(`${item.pk}\u0000${item.sk}`, item);
    }
    const all = [...items.values()];
    for (let start = 0; start < all.length; start += BATCH_SIZE) {
      await this.writeChunk(all.slice(start, start + BATCH_SIZE));
    }
  }

  /** Routine events: counted in this container, written per principal-hour when due (see flushRollUps). */
  rollUp(events: readonly TriageEvent[]): void {
    this.rollups.add(events, this.options.clock.now());
  }

  /**
   * Writes the held roll-ups: all of them when they are due, or those of the principals named (an alert's
   * context is about to be read). A failed write keeps its counts for the next flush and throws after the
   * others are written.
   */
  async flushRollUps(scope: RollupScope): Promise<void> {
    if (scope === 'due' && !this.rollups.due(this.options.clock.now())) return;
    const rollups = this.rollups.take(scope === 'due' ? undefined : new Set(scope.principalKeys));
    if (rollups.length === 0) return;
    const failed: Rollup[] = [];
    let firstError: unknown;
    await mapLimit(rollups, 8, async (rollup) => {
      try {
        await this.writeRollup(rollup);
      } catch (error) {
        failed.push(rollup);
        firstError ??= error;
      }
    });
    if (failed.length === 0) return;
    this.rollups.restore(failed, this.options.clock.now());
    throw new RollupWriteError(
      `activity log: ${failed.length} of ${rollups.length} roll-ups not written; kept for the next flush`,
      { cause: firstError },
    );
  }

  /** One UpdateItem adding the counts; the address and agent sets grow only while under their caps. */
  private async writeRollup(rollup: Rollup): Promise<void> {
    const names: Record<string, string> = { '#first': 'first', '#last': 'last', '#ttl': 'ttl', '#rollup': 'rollup' };
    const values: Record<string, unknown> = {
      ':first': rollup.first,
      ':last': rollup.last,
      ':ttl': Math.floor((rollup.hourStart + HOUR_MS + ACTIVITY_RETENTION_MS) / 1000),
      ':true': true,
    };
    const adds: string[] = [];
    let n = 0;
    for (const [operation, count] of rollup.counts) {
      names[`#c${n}`] = `${COUNT_PREFIX}${operation}`;
      values[`:c${n}`] = count;
      adds.push(`#c${n} :c${n}`);
      const attachments = rollup.attachments.get(operation);
      if (attachments !== undefined) {
        names[`#a${n}`] = `${ATTACHMENTS_PREFIX}${operation}`;
        values[`:a${n}`] = attachments;
        adds.push(`#a${n} :a${n}`);
      }
      n += 1;
    }
    // One write per principal-hour: `first` is the first flush's, `last` the latest flush's (flushes follow
    // event time closely; an hour's span can be off by what one flush held out of order).
    const set = 'SET #first = if_not_exists(#first, :first), #ttl = :ttl, #rollup = :true, #last = :last';
    const key = { pk: activityPk(rollup.principalKey), sk: rollupSk(rollup.hourStart) };
    const send = (
      expression: string,
      extraNames: Record<string, string>,
      extraValues: Record<string, unknown>,
      condition?: string,
    ) =>
      this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: key,
          UpdateExpression: expression,
          ExpressionAttributeNames: { ...names, ...extraNames },
          ExpressionAttributeValues: { ...values, ...extraValues },
          ...(condition !== undefined ? { ConditionExpression: condition } : {}),
        }),
      );
    const counts = `${set} ADD ${adds.join(', ')}`;
    const sets: string[] = [];
    const setNames: Record<string, string> = {};
    const setValues: Record<string, unknown> = {};
    const conditions: string[] = [];
    // The hour's addresses and agents, each set capped (a conditional add; past the cap, the counts alone).
    const capped = [
      { name: 'sourceIps', values: rollup.sourceIps, max: MAX_ROLLUP_SOURCE_IPS },
      { name: 'userAgents', values: rollup.userAgents, max: MAX_ROLLUP_USER_AGENTS },
    ];
    for (const { name, values: held, max } of capped) {
      if (held.size === 0) continue;
      sets.push(`#${name} :${name}`);
      setNames[`#${name}`] = name;
      setValues[`:${name}`] = new Set(held);
      setValues[`:${name}Max`] = max;
      conditions.push(`(attribute_not_exists(#${name}) OR size(#${name}) < :${name}Max)`);
    }
    if (sets.length === 0) {
      await send(counts, {}, {});
    } else {
      try {
        await send(`${counts}, ${sets.join(', ')}`, setNames, setValues, conditions.join(' AND '));
      } catch (error) {
        // Enough addresses or agents kept for this hour: the counts alone.
        if (!isConditionFailure(error)) throw error;
        await send(counts, {}, {});
      }
    }
  }

  private async writeChunk(items: readonly Record<string, unknown>[]): Promise<void> {
    await batchWriteAll(
      {
        client: this.options.client,
        tableName: this.options.tableName,
        sleep: this.sleep,
        onRetry: (unprocessed, attempt) =>
          this.options.logger.warn('activity log: unprocessed items, retrying', { unprocessed, attempt }),
      },
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  async query(principalKey: string, sinceMs: number): Promise<ActivityEntry[]> {
    const from = new Date(Math.max(0, sinceMs)).toISOString();
    // The newest entries first, so a busy principal's recent activity is never cut off; reversed below.
    const entries: ActivityEntry[] = [];
    let items = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': activityPk(principalKey), ':from': from },
          ScanIndexForward: false,
          Limit: this.limit - items,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of output.Items ?? []) {
        items += 1;
        entries.push(...this.parseItem(item));
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined && items < this.limit);
    return entries.reverse();
  }

  async earliest(principalKey: string): Promise<ActivityEntry | undefined> {
    const output = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: {
          ':pk': activityPk(principalKey),
          // Items past their TTL may linger until DynamoDB deletes them: ignore them.
          ':from': new Date(Math.max(0, this.options.clock.now() - ACTIVITY_RETENTION_MS)).toISOString(),
        },
        ScanIndexForward: true,
        Limit: 1,
      }),
    );
    const item = output.Items?.[0];
    if (item === undefined) return undefined;
    const [entry] = this.parseItem(item);
    // A roll-up's entries carry its last time; its first is what "first seen" needs.
    return entry !== undefined && item.rollup === true && typeof item.first === 'number'
      ? { ...entry, time: item.first }
      : entry;
  }

  /** An item as entries: one for an event's item, one per operation for a roll-up. */
  private parseItem(item: Record<string, unknown>): ActivityEntry[] {
    if (item.rollup !== true) {
      const entry = this.parse(item);
      return entry === undefined ? [] : [entry];
    }
    const entries = rollupEntries(item, typeof item.sk === 'string' ? item.sk : '');
    if (entries.length === 0)
      this.options.logger.warn('activity log: unreadable roll-up skipped', {
        sk: typeof item.sk === 'string' ? item.sk : undefined,
      });
    return entries;
  }

  private parse(item: Record<string, unknown>): ActivityEntry | undefined {
    const parsed = z.safeParse(activityEntrySchema(), item);
    if (!parsed.success) {
      this.options.logger.warn('activity log: unreadable item skipped', {
        sk: typeof item.sk === 'string' ? item.sk : undefined,
      });
      return undefined;
    }
    return parsed.data;
  }
}
