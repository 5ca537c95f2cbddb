/**
 * The answer cache: per (question key, locale, playbook version). A miss is answered by exactly one
 * caller: the one that wins the lease (a conditional write); others poll for the answer within their
 * budget. Answers and "no answer" outcomes are both cached: neither changes until the playbooks do.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Citation } from '../alerts/model';
import { citationSchema } from '../alerts/schema';
import type { Clock } from '../clock';
import { isConditionalCheckFailed } from '../errors';
import { once } from '../lazy';

export interface CacheKey {
  /** The answer source's name: answers of one source are never served for another. */
  readonly source: string;
  readonly questionKey: string;
  readonly locale: string;
  readonly playbookVersion: string;
}

export interface CachedAnswer {
  readonly status: 'answered' | 'no-answer';
  readonly answer?: string;
  readonly citations: readonly Citation[];
  readonly source: string;
  readonly answeredAt: string;
}

export interface AnswerCache {
  get(key: CacheKey): Promise<CachedAnswer | undefined>;
  put(key: CacheKey, answer: CachedAnswer): Promise<void>;
  /** True when this caller may ask the source for `key` (nobody else holds a live lease). */
  acquireLease(key: CacheKey, holder: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease back after a failed ask, so another caller can try at once. */
  releaseLease(key: CacheKey, holder: string): Promise<void>;
}

export function cachePk(key: CacheKey): string {
  return `answer#${key.source}#${key.questionKey}#${key.locale}#${key.playbookVersion}`;
}
export const CACHE_SK = 'answer';

/** In-process cache (replay, tests, and the first tier in Lambda). Entries expire after `ttlSeconds`. */
export class MemoryAnswerCache implements AnswerCache {
  private readonly answers = new Map<string, { answer: CachedAnswer; expiresAt: number }>();
  private readonly leases = new Map<string, { holder: string; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: CacheKey): Promise<CachedAnswer | undefined> {
    const entry = this.answers.get(cachePk(key));
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.answers.delete(cachePk(key));
      return undefined;
    }
    return entry.answer;
  }

  async put(key: CacheKey, answer: CachedAnswer): Promise<void> {
    const pk = cachePk(key);
    this.answers.delete(pk);
    this.answers.set(pk, { answer, expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
    this.leases.delete(pk);
    // Maps iterate in insertion order: drop the oldest beyond the bound.
    while (this.answers.size > this.maxEntries) {
      const oldest = this.answers.keys().next().value;
      if (oldest === undefined) break;
      this.answers.delete(oldest);
    }
  }

  async acquireLease(key: CacheKey, holder: string, leaseMs: number): Promise<boolean> {
    const pk = cachePk(key);
    const lease = this.leases.get(pk);
    if (lease !== undefined && lease.until > this.clock.now() && lease.holder !== holder) return false;
    this.leases.set(pk, { holder, until: this.clock.now() + leaseMs });
    return true;
  }

  async releaseLease(key: CacheKey, holder: string): Promise<void> {
    const pk = cachePk(key);
    if (this.leases.get(pk)?.holder === holder) this.leases.delete(pk);
  }
}

/** Built on the first cache read (alerts only). */
const answerItemSchema = once(() =>
  z.object({
    state: z.literal('answer'),
    status: z.enum(['answered', 'no-answer']),
    answer: z.optional(z.string()),
    citations: z.optional(z.array(citationSchema)),
    source: z.string(),
    answeredAt: z.string(),
  }),
);

/**
 * DynamoDB tier on the state table (`pk` = `answer#…`, `sk` = `answer`, TTL `ttl` in epoch seconds).
 * One item per key holds either a lease (`state: lease`, `leaseUntil`, `holder`) or the answer.
 */
export class DynamoAnswerCache implements AnswerCache {
  constructor(
    private readonly deps: {
      readonly doc: Pick<DynamoDBDocumentClient, 'send'>;
      readonly tableName: string;
      readonly clock: Clock;
      readonly ttlSeconds: number;
    },
  ) {}

  private epochSeconds(offsetMs: number): number {
    return Math.floor((this.deps.clock.now() + offsetMs) / 1000);
  }

  async get(key: CacheKey): Promise<CachedAnswer | undefined> {
    const { Item } = await this.deps.doc.send(
      new GetCommand({ TableName: this.deps.tableName, Key: { pk: cachePk(key), sk: CACHE_SK }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    if (typeof Item.ttl === 'number' && Item.ttl * 1000 <= this.deps.clock.now()) return undefined;
    const parsed = answerItemSchema().safeParse(Item);
    if (!parsed.success) return undefined;
    const { state: _state, citations, ...rest } = parsed.data;
    return {
      ...rest,
      citations: (citations ?? []).map((citation) =>
        citation.url !== undefined ? { title: citation.title, url: citation.url } : { title: citation.title },
      ),
    };
  }

  async put(key: CacheKey, answer: CachedAnswer): Promise<void> {
    await this.deps.doc.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: {
          pk: cachePk(key),
          sk: CACHE_SK,
          state: 'answer',
          ...answer,
          citations: answer.citations.map((citation) => ({ ...citation })),
          ttl: this.epochSeconds(this.deps.ttlSeconds * 1000),
        },
      }),
    );
  }

  async acquireLease(key: CacheKey, holder: string, leaseMs: number): Promise<boolean> {
    const now = this.deps.clock.now();
    try {
      await this.deps.doc.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: {
            pk: cachePk(key),
            sk: CACHE_SK,
            state: 'lease',
            holder,
            leaseUntil: now + leaseMs,
            ttl: this.epochSeconds(leaseMs + 3_600_000),
          },
          // Free, or an expired lease left by a caller that died mid-ask; never over an answer.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :lease AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':lease': 'lease', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async releaseLease(key: CacheKey, holder: string): Promise<void> {
    try {
      await this.deps.doc.send(
        new DeleteCommand({
          TableName: this.deps.tableName,
          Key: { pk: cachePk(key), sk: CACHE_SK },
          ConditionExpression: '#state = :lease AND holder = :holder',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':lease': 'lease', ':holder': holder },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

/** Memory in front of DynamoDB: hits stay in the container; leases always go to the shared table. */
export class TieredAnswerCache implements AnswerCache {
  constructor(
    private readonly front: AnswerCache,
    private readonly back: AnswerCache,
  ) {}

  async get(key: CacheKey): Promise<CachedAnswer | undefined> {
    const near = await this.front.get(key);
    if (near !== undefined) return near;
    const far = await this.back.get(key);
    if (far !== undefined) await this.front.put(key, far);
    return far;
  }

  async put(key: CacheKey, answer: CachedAnswer): Promise<void> {
    await this.back.put(key, answer);
    await this.front.put(key, answer);
  }

  acquireLease(key: CacheKey, holder: string, leaseMs: number): Promise<boolean> {
    return this.back.acquireLease(key, holder, leaseMs);
  }

  releaseLease(key: CacheKey, holder: string): Promise<void> {
    return this.back.releaseLease(key, holder);
  }
}
