/**
 * The one retry loop, for what the AWS SDK's own retries do not cover: items DynamoDB left unprocessed, an
 * answer source that throttles inside the enrichment budget, a conditional write that lost a race. A call
 * that failed on throttling, 5xx or the network is the SDK's to retry (configured where its client is built).
 */
import { sleep as realSleep } from './clock';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The delay cap before the second attempt; it doubles each time up to maxDelayMs. 0 retries at once. */
  readonly baseMs: number;
  readonly maxDelayMs: number;
  /**
   * `full` (the default): a random delay up to the cap, so that containers that failed together do not come back
   * together (AWS Architecture Blog, "Exponential Backoff And Jitter"); `none`: the cap itself.
   */
  readonly jitter?: 'full' | 'none';
}

export interface RetryOptions {
  /** Whether a failure is worth another attempt. The last failure, or one that is not, is thrown as it is. */
  readonly retryable: (error: unknown) => boolean;
  /** Injected by tests; the enricher passes one that ends with its budget. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told before each wait: for a log line or a counter. */
  readonly onRetry?: (retry: { readonly attempt: number; readonly delayMs: number; readonly error: unknown }) => void;
}

/** The wait after failed attempt `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
  return policy.jitter === 'none' ? cap : Math.floor(random() * cap);
}

/** Runs `work` until it succeeds, its failure is not retryable, or the policy's attempts are spent. */
export async function retry<T>(
  policy: RetryPolicy,
  work: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !options.retryable(error)) throw error;
      const delayMs = backoffDelay(policy, attempt, options.random);
      options.onRetry?.({ attempt, delayMs, error });
      if (delayMs > 0) await sleep(delayMs);
    }
  }
}

/** HTTP attempts the AWS SDK made for one call, read from the output or error it gave (`$metadata.attempts`). */
export function sdkAttempts(value: unknown): number {
  const attempts = (value as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}
