/**
 * The enricher: one answer per alert from the cache or the answer source, inside a fixed budget.
 * `enrich` never throws and resolves within `budgetMs` (plus timer jitter): on any failure the alert
 * still goes out, on time, with the reason.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, Enrichment, EnrichmentStatus } from '../alerts/model';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AnswerCache, CacheKey, CachedAnswer } from './cache';
import { cachePk } from './cache';
import { CircuitBreaker } from './breaker';
import type { AlertLocale } from './config';
import { AnswerAbortedError, AnswerThrottledError, NoAnswerError } from './errors';
import { buildQuestion } from './question';
import type { AnswerSource, Question } from './types';
import { errorName } from '../errors';
import { retry, type RetryPolicy } from '../retry';

export const MAX_ANSWER_CHARS = 1500;
export const MAX_CITATIONS = 5;
export const NO_ANSWER_REASON = 'no answer in the playbooks';

export interface EnricherDeps {
  /** `undefined` when enrichment is turned off (ENRICH_SOURCE=none). */
  readonly source: AnswerSource | undefined;
  readonly cache: AnswerCache;
  /** The synced playbook version; part of the cache key, so a resync refreshes every answer. */
  readonly playbookVersion: () => Promise<string>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly budgetMs: number;
  readonly locale?: AlertLocale;
  readonly maxAnswerChars?: number;
  readonly breaker?: { readonly threshold?: number; readonly coolDownMs?: number };
  /** Throttling retries: full jitter over an exponential base, while the budget lasts. */
  readonly retry?: { readonly baseMs?: number; readonly maxDelayMs?: number; readonly maxAttempts?: number };
  /** How often a caller that lost the lease looks for the winner's answer. */
  readonly pollMs?: number;
  readonly random?: () => number;
  /** Identifies this container's leases. */
  readonly holder?: string;
}

export interface Enricher {
  enrich(alert: Alert): Promise<Enrichment>;
  /** For diagnostics and tests. */
  readonly breaker: CircuitBreaker;
}

function failed(status: Exclude<EnrichmentStatus, 'answered'>, reason: string, source?: string): Enrichment {
  return { status, reason, citations: [], ...(source !== undefined ? { source } : {}) };
}

function trimAnswer(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const end = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(end > max * 0.6 ? cut.slice(0, end + 1) : cut).trimEnd()}…`;
}

function fromCache(entry: CachedAnswer, cached: boolean): Enrichment {
  if (entry.status === 'no-answer') {
    return {
      status: 'no-answer',
      reason: NO_ANSWER_REASON,
      citations: [],
      source: entry.source,
      answeredAt: entry.answeredAt,
      cached,
    };
  }
  return {
    status: 'answered',
    ...(entry.answer !== undefined ? { answer: entry.answer } : {}),
    citations: entry.citations,
    source: entry.source,
    answeredAt: entry.answeredAt,
    cached,
  };
}

/** A sleep that ends early (rejecting) when the budget runs out. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AnswerAbortedError('budget exhausted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AnswerAbortedError('budget exhausted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What happened during one enrich call, read when the budget timer fires. */
interface Attempt {
  throttled: boolean;
}

export function createEnricher(deps: EnricherDeps): Enricher {
  const { source, cache, clock, logger, budgetMs } = deps;
  const locale = deps.locale ?? 'en';
  const maxAnswerChars = deps.maxAnswerChars ?? MAX_ANSWER_CHARS;
  const breaker = new CircuitBreaker(clock, deps.breaker?.threshold ?? 5, deps.breaker?.coolDownMs ?? 60_000);
  const throttleRetry: RetryPolicy = {
    maxAttempts: deps.retry?.maxAttempts ?? 4,
    baseMs: deps.retry?.baseMs ?? 100,
    maxDelayMs: deps.retry?.maxDelayMs ?? 1000,
  };
  const pollMs = deps.pollMs ?? 100;
  const random = deps.random ?? Math.random;
  const holder = deps.holder ?? randomUUID();
  const leaseMs = budgetMs * 2;
  /** Asks in progress in this container, so concurrent alerts of one rule share one call. */
  const inFlight = new Map<string, Promise<Enrichment>>();

  async function askWithRetry(question: Question, signal: AbortSignal, attempt: Attempt): Promise<CachedAnswer> {
    if (source === undefined) throw new Error('unreachable: no source');
    const answer = await retry(throttleRetry, () => source.ask(question, { signal }), {
      retryable: (error) => error instanceof AnswerThrottledError,
      // The wait ends with the budget: an aborted wait rejects with AnswerAbortedError.
      sleep: (ms) => abortableSleep(ms, signal),
      random,
      onRetry: ({ attempt: tries, delayMs }) => {
        attempt.throttled = true;
        logger.debug('answer source throttled; retrying', { rule: question.rule, tries, delayMs });
      },
    });
    return {
      status: 'answered',
      answer: trimAnswer(answer.text, maxAnswerChars),
      citations: answer.citations.slice(0, MAX_CITATIONS),
      source: source.name,
      answeredAt: new Date(clock.now()).toISOString(),
    };
  }

  async function safely<T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      logger.warn('answer cache unavailable; continuing without it', { operation: what, error: errorName(error) });
      return fallback;
    }
  }

  /** The lease winner asks the source and stores the outcome; failures give the lease back. */
  async function askAndStore(
    key: CacheKey,
    question: Question,
    signal: AbortSignal,
    attempt: Attempt,
  ): Promise<Enrichment> {
    if (!breaker.allow()) {
      await safely('releaseLease', () => cache.releaseLease(key, holder), undefined);
      return circuitOpen();
    }
    try {
      const answer = await askWithRetry(question, signal, attempt);
      breaker.success();
      await safely('put', () => cache.put(key, answer), undefined);
      logger.info('enrichment answered', {
        rule: question.rule,
        questionKey: question.key,
        source: answer.source,
        citations: answer.citations.length,
      });
      return fromCache(answer, false);
    } catch (error) {
      if (error instanceof NoAnswerError && source !== undefined) {
        breaker.success();
        const none: CachedAnswer = {
          status: 'no-answer',
          citations: [],
          source: source.name,
          answeredAt: new Date(clock.now()).toISOString(),
        };
        await safely('put', () => cache.put(key, none), undefined);
        logger.info('enrichment found no answer', {
          rule: question.rule,
          questionKey: question.key,
          source: source.name,
        });
        return fromCache(none, false);
      }
      breaker.failure();
      await safely('releaseLease', () => cache.releaseLease(key, holder), undefined);
      throw error;
    }
  }

  /** Lost the lease: wait for the winner's answer; take over if the winner gave the lease back. */
  async function awaitWinner(
    key: CacheKey,
    question: Question,
    signal: AbortSignal,
    attempt: Attempt,
  ): Promise<Enrichment> {
    for (;;) {
      await abortableSleep(pollMs, signal);
      const entry = await safely('get', () => cache.get(key), undefined);
      if (entry !== undefined) return fromCache(entry, true);
      if (await safely('acquireLease', () => cache.acquireLease(key, holder, leaseMs), false))
        return askAndStore(key, question, signal, attempt);
    }
  }

  function circuitOpen(): Enrichment {
    return failed(
      'circuit-open',
      `answer source skipped for ${Math.ceil(breaker.remainingMs() / 1000)} s after ${breaker.threshold} consecutive failures`,
      source?.name,
    );
  }

  async function run(alert: Alert, signal: AbortSignal, attempt: Attempt): Promise<Enrichment> {
    const question = buildQuestion(alert, locale);
    const key: CacheKey = {
      source: source?.name ?? 'none',
      questionKey: question.key,
      locale,
      playbookVersion: await deps.playbookVersion(),
    };
    const entry = await safely('get', () => cache.get(key), undefined);
    if (entry !== undefined) return fromCache(entry, true);
    const pk = cachePk(key);
    const shared = inFlight.get(pk);
    if (shared !== undefined) return shared;
    if (breaker.state === 'open') return circuitOpen();
    const ask = (async (): Promise<Enrichment> => {
      // A cache failure must not cost the alert its answer: without the table, ask anyway.
      const won = await safely('acquireLease', () => cache.acquireLease(key, holder, leaseMs), true);
      return won ? askAndStore(key, question, signal, attempt) : awaitWinner(key, question, signal, attempt);
    })();
    inFlight.set(pk, ask);
    try {
      return await ask;
    } finally {
      inFlight.delete(pk);
    }
  }

  function reasonFor(error: unknown, attempt: Attempt): Enrichment {
    const name = source?.name;
    if (error instanceof AnswerThrottledError)
      return failed('throttled', 'the playbook assistant is throttling requests', name);
    if (error instanceof AnswerAbortedError) {
      return attempt.throttled
        ? failed('throttled', 'the playbook assistant is throttling requests', name)
        : failed('timeout', `no answer within ${budgetMs} ms`, name);
    }
    const kind = errorName(error, 'unknown error');
    return failed('error', `the answer source failed (${kind})`, name);
  }

  async function enrich(alert: Alert): Promise<Enrichment> {
    if (source === undefined) return failed('disabled', 'enrichment is turned off (ENRICH_SOURCE=none)');
    const controller = new AbortController();
    const attempt: Attempt = { throttled: false };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Enrichment>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(reasonFor(new AnswerAbortedError('budget exhausted'), attempt));
      }, budgetMs);
    });
    const work = run(alert, controller.signal, attempt).catch((error: unknown) => {
      const outcome = reasonFor(error, attempt);
      logger.warn('enrichment failed', {
        alertId: alert.id,
        rule: alert.rule,
        status: outcome.status,
        error: errorName(error),
      });
      return outcome;
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  return { enrich, breaker };
}
