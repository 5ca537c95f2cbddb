import { lazy, once } from '../../shared/lazy';

test('builds once and shares the value between concurrent callers', async () => {
  let builds = 0;
  const value = lazy(async () => {
    builds += 1;
    return { client: builds };
  });

  const [first, second] = await Promise.all([value(), value()]);

  expect(builds).toBe(1);
  expect(first).toBe(second);
});

test('a failed build is not kept: the next use builds again', async () => {
  let attempts = 0;
  const value = lazy(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('chunk failed to load');
    return 'ready';
  });

  await expect(value()).rejects.toThrow('chunk failed to load');
  await expect(value()).resolves.toBe('ready');
  expect(attempts).toBe(2);
});

test('once: builds on the first call only, and not before', () => {
  let builds = 0;
  const schema = once(() => {
    builds += 1;
    return { built: builds };
  });
  expect(builds).toBe(0);
  expect(schema()).toBe(schema());
  expect(builds).toBe(1);
});
