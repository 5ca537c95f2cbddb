/**
 * Cache of a principal's LookupEvents result, so a burst of alerts about one principal costs one lookup.
 * Only the management events from CloudTrail are cached; the activity log is cheap and always read fresh.
 * DynamoDB item: `pk=lookup#<principalKey>`, `sk=lookup`, `expiresAt` (ms) checked on read (TTL deletion lags).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Clock } from '../clock';
import { once } from '../lazy';
import type { Logger } from '../logger';
import { activityEntrySchema, type ActivityEntry } from './activity';

export interface LookupResult {
  /** ISO time the lookup ran. */
  readonly fetchedAt: string;
  /** Start of the window searched (epoch ms). */
  readonly sinceMs: number;
  readonly entries: readonly ActivityEntry[];
  readonly complete: boolean;
  readonly note?: string;
  /** Why the search stopped early: a budget stop is final, the others may go better on a retry. */
  readonly stoppedBy?: LookupStop;
}

export const LOOKUP_STOPS = ['budget', 'throttled', 'rate-limit', 'error', 'no-attribute'] as const;
export type LookupStop = (typeof LOOKUP_STOPS)[number];

export interface LookupCache {
  get(principalKey: string): Promise<LookupResult | undefined>;
  put(principalKey: string, result: LookupResult, ttlMs: number): Promise<void>;
}

export class MemoryLookupCache implements LookupCache {
  private readonly items = new Map<string, { readonly result: LookupResult; readonly expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async get(principalKey: string): Promise<LookupResult | undefined> {
    const item = this.items.get(principalKey);
    if (item === undefined || item.expiresAt <= this.clock.now()) return undefined;
    return item.result;
  }

  async put(principalKey: string, result: LookupResult, ttlMs: number): Promise<void> {
    this.items.set(principalKey, { result, expiresAt: this.clock.now() + ttlMs });
  }
}

const lookupResultSchema = once(() =>
  z.object({
    fetchedAt: z.string(),
    sinceMs: z.number(),
    entries: z.array(activityEntrySchema()),
    complete: z.boolean(),
    note: z.optional(z.string()),
    stoppedBy: z.optional(z.enum(LOOKUP_STOPS)),
  }),
);

const cacheItemSchema = once(() => z.object({ expiresAt: z.number(), result: z.string() }));

export class DynamoLookupCache implements LookupCache {
  constructor(
    private readonly options: {
      readonly client: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  private key(principalKey: string): { pk: string; sk: string } {
    return { pk: `lookup#${principalKey}`, sk: 'lookup' };
  }

  async get(principalKey: string): Promise<LookupResult | undefined> {
    const output = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: this.key(principalKey) }),
    );
    if (output.Item === undefined) return undefined;
    const item = z.safeParse(cacheItemSchema(), output.Item);
    if (!item.success || item.data.expiresAt <= this.options.clock.now()) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(item.data.result);
    } catch (error) {
      this.options.logger.warn('lookup cache: unreadable item ignored', { principalKey, error });
      return undefined;
    }
    const result = z.safeParse(lookupResultSchema(), json);
    return result.success ? result.data : undefined;
  }

  async put(principalKey: string, result: LookupResult, ttlMs: number): Promise<void> {
    const expiresAt = this.options.clock.now() + ttlMs;
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        // One string attribute: entries hold optional fields that the document client would reject as undefined.
        Item: {
          ...this.key(principalKey),
          expiresAt,
          ttl: Math.ceil(expiresAt / 1000),
          result: JSON.stringify(result),
        },
      }),
    );
  }
}
