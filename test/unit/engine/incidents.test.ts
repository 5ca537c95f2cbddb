import { subjectOfEvent } from '../../../shared/alerts/builder';
import { createClassifier } from '../../../shared/classify/classify';
import { defaultPolicy } from '../../../shared/classify/policy';
import { fixedClock } from '../../../shared/clock';
import { createSelfMatcher } from '../../../shared/classify/self';
import { CLOSE_GRACE_MS, createIncidents, type Work } from '../../../shared/engine/incidents';
import { contentDigest } from '../../../shared/engine/fingerprint';
import { createLogger } from '../../../shared/logger';
import { isPagingSeverity } from '../../../shared/playbook/types';
import { MemoryStateStore } from '../../../shared/state';
import { triageEvent } from '../../support/cloudtrail';
import { record } from '../../support/records';

const policy = defaultPolicy();
const classify = createClassifier(policy, createSelfMatcher([]));
const KEY = 'alice#actor';
const MINUTE = 60_000;

function work(index: number, second: number, eventName = 'DeleteIndex'): Work {
  const event = triageEvent(record({ eventName, second, eventId: `e-${second}` }));
  return { index, event, subject: subjectOfEvent(event, classify(event)), initialCount: 1 };
}

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a generation');
  return value;
}

function setup(updateIntervalMs = 0) {
  const store = new MemoryStateStore();
  const clock = fixedClock(Date.parse('2026-01-01T00:00:00Z'));
  return {
    store,
    clock,
    incidents: createIncidents({ store, policy, logger: createLogger({ silent: true }), clock, updateIntervalMs }),
  };
}

describe('incidents', () => {
  test('an event folded before is not counted again, and announces no update', async () => {
    const { incidents } = setup();
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert, isPagingSeverity(defined(first).alert.severity));

    const [again] = await incidents.apply(KEY, [work(0, 0)]);

    expect(again).toMatchObject({ publishNew: false, publishUpdate: false });
    expect(again?.alert.count).toBe(1);
  });

  test('an update not yet announced is owed again on the next apply, with the same number', async () => {
    const { incidents } = setup();
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert, isPagingSeverity(defined(first).alert.severity));
    const [updated] = await incidents.apply(KEY, [work(1, 10)]);

    const [retried] = await incidents.apply(KEY, [work(1, 10)]);

    expect(updated).toMatchObject({ publishUpdate: true, alert: { updates: 1, count: 2 } });
    expect(retried).toMatchObject({ publishUpdate: true, alert: { updates: 1, count: 2 } });
  });

  test('events from before the stored generation rebuild their own generation, with its first id', async () => {
    const { incidents } = setup();
    const [older, newer] = await incidents.apply(KEY, [work(0, 0), work(1, 900)]);

    const [rebuilt] = await incidents.apply(KEY, [work(0, 0)]);

    expect(older?.alert.id).not.toBe(newer?.alert.id);
    expect(rebuilt).toMatchObject({ publishNew: true, stored: false, alert: { id: older?.alert.id, count: 1 } });
  });

  test('operations of one actor fold into one incident whose severity is the highest of its events', async () => {
    const { incidents } = setup();
    const generations = await incidents.apply(KEY, [
      work(0, 0, 'ListApplications'),
      work(1, 10, 'CreateIndex'),
      work(2, 20, 'DeleteIndex'),
    ]);

    expect(generations).toHaveLength(1);
    expect(generations[0]?.alert.eventNames).toEqual({ ListApplications: 1, CreateIndex: 1, DeleteIndex: 1 });
    expect(generations[0]?.alert.severity).toBe(
      subjectOfEvent(work(2, 20).event, classify(work(2, 20).event)).severity,
    );
  });

  test('updates wait for the interval; a close announces the one held back', async () => {
    const { incidents, clock } = setup(15 * MINUTE);
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert, isPagingSeverity(defined(first).alert.severity));

    clock.advance(MINUTE);
    const [held] = await incidents.apply(KEY, [work(1, 60)]);
    clock.advance(MINUTE);
    const [stillHeld] = await incidents.apply(KEY, [work(2, 120)]);
    // The next event comes after the aggregation window: the first incident closes, a new one opens.
    const [closing, next] = await incidents.apply(KEY, [work(3, 120 + 3600)]);

    expect(held).toMatchObject({ publishUpdate: false, alert: { updates: 1, count: 2 } });
    expect(stillHeld).toMatchObject({ publishUpdate: false, alert: { updates: 2, count: 3 } });
    expect(closing).toMatchObject({
      publishUpdate: true,
      stored: false,
      alert: { id: defined(first).alert.id, updates: 2 },
    });
    expect(next).toMatchObject({ publishNew: true, stored: true, alert: { count: 1 } });
  });

  test('an update becomes due once the interval has passed since the last message', async () => {
    const { incidents, clock } = setup(15 * MINUTE);
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert, isPagingSeverity(defined(first).alert.severity));

    clock.advance(15 * MINUTE);
    const [due] = await incidents.apply(KEY, [work(1, 60)]);

    expect(due).toMatchObject({ publishUpdate: true, pageRise: false, alert: { updates: 1 } });
  });
});

describe('the due time the sweep finds incidents by', () => {
  test('a published incident is due at its close (window and grace after its last event); a closed and announced one leaves the index', async () => {
    const { incidents, store, clock } = setup(15 * MINUTE);
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    expect((await store.getIncident(KEY))?.dueAt).toBeUndefined();
    await incidents.markAnnounced(KEY, defined(first).alert, isPagingSeverity(defined(first).alert.severity));
    const lastSeen = Date.parse(defined(first).alert.lastSeen);
    expect((await store.getIncident(KEY))?.dueAt).toBe(lastSeen + policy.aggregationWindowMs + CLOSE_GRACE_MS);

    clock.set(lastSeen + policy.aggregationWindowMs + CLOSE_GRACE_MS);
    const closing = await incidents.owedWithoutEvents(KEY);
    await incidents.markAnnounced(KEY, defined(closing).alert, false);

    expect(closing).toMatchObject({
      publishUpdate: true,
      pageRise: false,
      alert: { updates: 1, closedAt: expect.any(String) },
    });
    expect(await store.dueIncidents(clock.now() + 3600_000, 10)).toEqual([]);
    expect(await incidents.owedWithoutEvents(KEY)).toBeUndefined();
  });

  test('an item whose due time is stale (it owes nothing) is rewritten out of the index by the sweep', async () => {
    const { incidents, store, clock } = setup(15 * MINUTE);
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    const stored = defined(await store.getIncident(KEY));
    await store.putIncident(
      {
        ...stored,
        version: stored.version + 1,
        published: true,
        closedAtUpdate: 0,
        dueAt: 0,
        alert: { ...defined(first).alert, closedAt: 'x' },
      },
      stored.version,
    );

    expect(await store.dueIncidents(clock.now(), 10)).toEqual([KEY]);
    expect(await incidents.owedWithoutEvents(KEY)).toBeUndefined();
    expect(await store.dueIncidents(clock.now(), 10)).toEqual([]);
  });
});

describe('content digest', () => {
  test('a redelivered record has the digest of the first; another record under the same eventID does not', () => {
    const real = record({ eventName: 'DeleteIndex', eventId: 'same' });
    const forged = { ...real, eventName: 'GetApplication' };

    expect(contentDigest(triageEvent(structuredClone(real)))).toBe(contentDigest(triageEvent(real)));
    expect(contentDigest(triageEvent(forged))).not.toBe(contentDigest(triageEvent(real)));
  });
});
