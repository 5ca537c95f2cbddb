/**
 * The activity log in the state table: `pk=activity#<principalKey>`, `sk=<ISO time>#<eventID>`,
 * `ttl` = event time + 7 days (epoch seconds). Writes are idempotent (same key for a redelivered event).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TriageEvent } from '../events';
import type { Clock } from '../clock';
import { sleep as realSleep } from '../clock';
import type { Logger } from '../logger';
import { ACTIVITY_RETENTION_MS, activityEntrySchema, toActivityEntry, type ActivityEntry, type ActivityLog } from './activity';
import * as z from 'zod/mini';
import { batchWriteAll } from '../state/dynamo-batch';

const BATCH_SIZE = 25;

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

export class DynamoActivityLog implements ActivityLog {
  private readonly limit: number;
  private readonly sleep: (ms: number) => Promise<void>;

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

  private async writeChunk(items: readonly Record<string, unknown>[]): Promise<void> {
    await batchWriteAll(
      {
        client: this.options.client,
        tableName: this.options.tableName,
        sleep: this.sleep,
        onRetry: (unprocessed, attempt) => this.options.logger.warn('activity log: unprocessed items, retrying', { unprocessed, attempt }),
      },
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  async query(principalKey: string, sinceMs: number): Promise<ActivityEntry[]> {
    const from = new Date(Math.max(0, sinceMs)).toISOString();
    // The newest entries first, so a busy principal's recent activity is never cut off; reversed below.
    const entries: ActivityEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': activityPk(principalKey), ':from': from },
          ScanIndexForward: false,
          Limit: this.limit - entries.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of output.Items ?? []) {
        const entry = this.parse(item);
        if (entry !== undefined) entries.push(entry);
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined && entries.length < this.limit);
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
    return item === undefined ? undefined : this.parse(item);
  }

  private parse(item: Record<string, unknown>): ActivityEntry | undefined {
    const parsed = z.safeParse(activityEntrySchema(), item);
    if (!parsed.success) {
      this.options.logger.warn('activity log: unreadable item skipped', { sk: typeof item.sk === 'string' ? item.sk : undefined });
      return undefined;
    }
    return parsed.data;
  }
}
