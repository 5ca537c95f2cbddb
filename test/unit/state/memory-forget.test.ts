import { MemoryStateStore } from '../../../shared/state';

const WINDOW = 5 * 60_000;

describe('MemoryStateStore: what replay forgets', () => {
  test('forgetBursts drops entries and their ids before the cutoff; an id counted again after that counts anew', async () => {
    const store = new MemoryStateStore();
    await store.addToBurst(
      'p#r',
      [
        { eventId: 'a', time: 0 },
        { eventId: 'b', time: 1000 },
        { eventId: 'c', time: 10 * 60_000 },
      ],
      WINDOW,
    );

    store.forgetBursts(5 * 60_000);

    expect(await store.addToBurst('p#r', [{ eventId: 'c', time: 10 * 60_000 }], WINDOW)).toEqual([
      { count: 1, peak: 1 },
    ]);
    expect(await store.addToBurst('p#r', [{ eventId: 'a', time: 0 }], WINDOW)).toEqual([{ count: 1, peak: 1 }]);
  });

  test('rememberProcessed: false keeps no fingerprints', async () => {
    const store = new MemoryStateStore({ rememberProcessed: false });
    const sample = {
      eventId: 'e',
      eventName: 'ListApplications',
      eventTime: '2026-11-20T14:00:00Z',
      region: 'us-east-1',
      dataEvent: false,
      resourceArns: [],
      evidence: [],
    };
    await store.markProcessed([{ eventId: 'e', digest: 'd', sample }]);

    expect((await store.processed(['e'])).size).toBe(0);
  });
});
