/** The shared LookupEvents token bucket against dynalite, over simulated time. */
import { DynamoRateLimiter, MemoryRateLimiter } from '../../../shared/context';
import { fixedClock } from '../../../shared/clock';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';

const SETTINGS = { ratePerSecond: 2, capacity: 2 };
const START = Date.parse('2026-11-23T12:00:00Z');

let table: LocalDynamo;
beforeEach(async () => {
  table = await startDynamo();
});
afterEach(async () => {
  await table.close();
});

function twoInstances(clock: ReturnType<typeof fixedClock>): DynamoRateLimiter[] {
  return [0, 1].map(
    () => new DynamoRateLimiter({ client: table.documents, tableName: table.tableName, clock, settings: SETTINGS }),
  );
}

test('two limiters sharing the table grant no more than the burst at one instant', async () => {
  const clock = fixedClock(START);
  const limiters = twoInstances(clock);

  const waits = await Promise.all(
    limiters.flatMap((limiter) => [limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()]),
  );

  expect(waits.filter((wait) => wait === 0)).toHaveLength(SETTINGS.capacity);
});

test('two limiters sharing the table stay within the rate over ten simulated seconds', async () => {
  const clock = fixedClock(START);
  const limiters = twoInstances(clock);
  let granted = 0;

  for (let step = 0; step < 100; step += 1) {
    const waits = await Promise.all(limiters.map((limiter) => limiter.tryAcquire()));
    granted += waits.filter((wait) => wait === 0).length;
    clock.advance(100);
  }

  // 10 s at 2/s plus the initial burst is the ceiling; a working bucket also grants close to it.
  expect(granted).toBeLessThanOrEqual(SETTINGS.capacity + 20);
  expect(granted).toBeGreaterThanOrEqual(19);
});

test('tells how long to wait when the bucket is empty', async () => {
  const clock = fixedClock(START);
  const [limiter] = twoInstances(clock);
  await limiter?.tryAcquire();
  await limiter?.tryAcquire();

  const wait = await limiter?.tryAcquire();

  expect(wait).toBe(500);
});

test('the memory limiter refills with time', async () => {
  const clock = fixedClock(START);
  const limiter = new MemoryRateLimiter(clock, SETTINGS);
  await limiter.tryAcquire();
  await limiter.tryAcquire();
  clock.advance(500);

  const wait = await limiter.tryAcquire();

  expect(wait).toBe(0);
});
