import { backoffDelay, retry, sdkAttempts, type RetryPolicy } from '../../shared/retry';

const POLICY: RetryPolicy = { maxAttempts: 4, baseMs: 100, maxDelayMs: 300 };
class Transient extends Error {}

function recorder(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

test('retries a retryable failure until the work succeeds, and says which attempt it is', async () => {
  const { sleep } = recorder();
  const seen: number[] = [];

  const result = await retry(
    POLICY,
    async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Transient('busy');
      return 'done';
    },
    { retryable: (error) => error instanceof Transient, sleep },
  );

  expect(result).toBe('done');
  expect(seen).toEqual([1, 2, 3]);
});

test('throws the last failure as it is once the attempts are spent', async () => {
  const { sleep } = recorder();
  let calls = 0;
  const last = new Transient('still busy');

  const result = retry(
    POLICY,
    async () => {
      calls += 1;
      throw calls === POLICY.maxAttempts ? last : new Transient('busy');
    },
    { retryable: () => true, sleep },
  );

  await expect(result).rejects.toBe(last);
  expect(calls).toBe(4);
});

test('does not retry a failure that is not retryable', async () => {
  let calls = 0;

  await expect(
    retry(
      POLICY,
      async () => {
        calls += 1;
        throw new Error('bad request');
      },
      { retryable: (error) => error instanceof Transient },
    ),
  ).rejects.toThrow('bad request');
  expect(calls).toBe(1);
});

test('waits with growing, capped, fully jittered delays, and tells onRetry before each wait', async () => {
  const { waits, sleep } = recorder();
  const told: number[] = [];

  await expect(
    retry(POLICY, () => Promise.reject(new Transient('busy')), {
      retryable: () => true,
      sleep,
      random: () => 0.999,
      onRetry: ({ attempt }) => told.push(attempt),
    }),
  ).rejects.toBeInstanceOf(Transient);

  expect(waits).toEqual([99, 199, 299]);
  expect(told).toEqual([1, 2, 3]);
});

test('backoffDelay: the cap itself without jitter; nothing to wait with a zero base', () => {
  expect([1, 2, 3, 4].map((attempt) => backoffDelay({ ...POLICY, jitter: 'none' }, attempt))).toEqual([
    100, 200, 300, 300,
  ]);
  expect(backoffDelay({ maxAttempts: 5, baseMs: 0, maxDelayMs: 0 }, 3)).toBe(0);
});

test('sdkAttempts: the attempts an SDK output or error records, 1 when it records none', () => {
  expect(sdkAttempts({ $metadata: { attempts: 3 } })).toBe(3);
  expect(sdkAttempts(new Error('no metadata'))).toBe(1);
  expect(sdkAttempts(undefined)).toBe(1);
});
