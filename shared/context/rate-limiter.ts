/**
 * A token bucket for CloudTrail LookupEvents, whose quota (about 2 requests per second) is per account
 * and Region, not per Lambda instance. The DynamoDB implementation keeps one bucket item in the state
 * table (`pk=ratelimit#lookupevents`) updated with a condition on its version, so concurrent instances
 * never spend the same token twice.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Clock } from '../clock';
import { isConditionalCheckFailed, QTriageError } from '../errors';
import { retry, type RetryPolicy } from '../retry';

export interface RateLimiter {
  /** Takes one token if one is available: 0. Otherwise the milliseconds until one will be (nothing taken). */
  tryAcquire(): Promise<number>;
}

export interface BucketSettings {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Most tokens held (the burst). */
  readonly capacity: number;
}

/** Below the documented 2 per second, so the console and other tools keep some of the quota. */
export const LOOKUP_EVENTS_BUCKET: BucketSettings = { ratePerSecond: 1.5, capacity: 2 };

interface BucketState {
  readonly tokens: number;
  readonly refilledAt: number;
}

function refill(state: BucketState, now: number, settings: BucketSettings): BucketState {
  const elapsed = Math.max(0, now - state.refilledAt);
  return {
    tokens: Math.min(settings.capacity, state.tokens + (elapsed * settings.ratePerSecond) / 1000),
    refilledAt: Math.max(now, state.refilledAt),
  };
}

function waitFor(tokens: number, settings: BucketSettings): number {
  return Math.ceil(((1 - tokens) * 1000) / settings.ratePerSecond);
}

export class MemoryRateLimiter implements RateLimiter {
  private state: BucketState;

  constructor(
    private readonly clock: Clock,
    private readonly settings: BucketSettings = LOOKUP_EVENTS_BUCKET,
  ) {
    this.state = { tokens: settings.capacity, refilledAt: clock.now() };
  }

  async tryAcquire(): Promise<number> {
    const current = refill(this.state, this.clock.now(), this.settings);
    if (current.tokens < 1) {
      this.state = current;
      return waitFor(current.tokens, this.settings);
    }
    this.state = { tokens: current.tokens - 1, refilledAt: current.refilledAt };
    return 0;
  }
}

export class RateLimiterError extends QTriageError {
  override readonly name = 'RateLimiterError';
}

const bucketItemSchema = z.object({ tokens: z.number(), refilledAt: z.number(), version: z.number() });

export const RATE_LIMIT_KEY = { pk: 'ratelimit#lookupevents', sk: 'bucket' } as const;
const CONFLICT_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 0, maxDelayMs: 0 };
/** The bucket item outlives any idle period it could matter for; an expired bucket simply starts full. */
const BUCKET_TTL_SECONDS = 24 * 3600;

export interface DynamoRateLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly settings?: BucketSettings;
  readonly key?: { readonly pk: string; readonly sk: string };
}

export class DynamoRateLimiter implements RateLimiter {
  private readonly settings: BucketSettings;
  private readonly key: { readonly pk: string; readonly sk: string };

  constructor(private readonly options: DynamoRateLimiterOptions) {
    this.settings = options.settings ?? LOOKUP_EVENTS_BUCKET;
    this.key = options.key ?? RATE_LIMIT_KEY;
  }

  async tryAcquire(): Promise<number> {
    try {
      // A lost conditional write means another instance took a token in between: read again, at once.
      return await retry(CONFLICT_RETRY, () => this.takeToken(), { retryable: isConditionalCheckFailed });
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Heavy contention: behave as if empty for a moment rather than spin.
      return Math.ceil(1000 / this.settings.ratePerSecond);
    }
  }

  private async takeToken(): Promise<number> {
    const now = this.options.clock.now();
    const output = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: this.key, ConsistentRead: true }),
    );
    const stored = output.Item === undefined ? undefined : z.safeParse(bucketItemSchema, output.Item);
    if (stored !== undefined && !stored.success)
      throw new RateLimiterError('rate limiter: the bucket item is malformed', { cause: stored.error });
    const previous = stored?.data;
    const current = refill(previous ?? { tokens: this.settings.capacity, refilledAt: now }, now, this.settings);
    if (current.tokens < 1) return waitFor(current.tokens, this.settings);
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          ...this.key,
          tokens: current.tokens - 1,
          refilledAt: current.refilledAt,
          version: (previous?.version ?? 0) + 1,
          ttl: Math.floor(now / 1000) + BUCKET_TTL_SECONDS,
        },
        ...(previous === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previous.version } }),
      }),
    );
    return 0;
  }
}
