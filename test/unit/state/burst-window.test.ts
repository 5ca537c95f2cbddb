import { windowCounts } from '../../../shared/state/burst-window';
import { MemoryStateStore } from '../../../shared/state';

const W = 300_000;
const seconds = (...values: number[]): number[] => values.map((value) => value * 1000);

describe('burst window counts', () => {
  test('count: the entries in the window ending at the event', () => {
    const times = seconds(0, 10, 20, 400);

    expect(windowCounts(times, seconds(20, 400), W).map((result) => result.count)).toEqual([3, 1]);
  });

  test('peak: the fullest window holding the event, one that ends at a later entry included', () => {
    const times = seconds(0, 10, 20, 30, 299, 350);

    expect(windowCounts(times, seconds(0, 350), W)).toEqual([
      { count: 1, peak: 5 },
      { count: 2, peak: 2 },
    ]);
  });
});

describe('memory store burst counter', () => {
  test('an event added again (redelivery) is counted once', async () => {
    const store = new MemoryStateStore();
    const events = [0, 1].map((i) => ({ eventId: `e${i}`, time: i * 1000 }));

    await store.addToBurst('p#auth-failures', events, W);
    const again = await store.addToBurst('p#auth-failures', events, W);

    expect(again.map((result) => result.count)).toEqual([1, 2]);
  });

  test('late events complete the window of events counted before them', async () => {
    const store = new MemoryStateStore();

    await store.addToBurst('p#auth-failures', [{ eventId: 'last', time: 9000 }], W);
    const late = await store.addToBurst(
      'p#auth-failures',
      Array.from({ length: 9 }, (_, i) => ({ eventId: `e${i}`, time: i * 1000 })),
      W,
    );

    expect(late[0]).toEqual({ count: 1, peak: 10 });
  });
});
