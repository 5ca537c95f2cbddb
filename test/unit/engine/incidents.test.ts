import { subjectOfEvent } from '../../../shared/alerts/builder';
import { createClassifier } from '../../../shared/classify/classify';
import { defaultPolicy } from '../../../shared/classify/policy';
import { createSelfMatcher } from '../../../shared/classify/self';
import { createIncidents, type Work } from '../../../shared/engine/incidents';
import { contentDigest } from '../../../shared/engine/fingerprint';
import { normalizeEvent, type TriageEvent } from '../../../shared/events';
import { createLogger } from '../../../shared/logger';
import { MemoryStateStore } from '../../../shared/state';
import { record } from '../../support/records';

const policy = defaultPolicy();
const classify = createClassifier(policy, createSelfMatcher([]));
const KEY = 'alice#playbook/DeleteIndex';

function eventOf(value: Record<string, unknown>): TriageEvent {
  const result = normalizeEvent(value);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

function work(index: number, second: number): Work {
  const event = eventOf(record({ eventName: 'DeleteIndex', second, eventId: `e-${second}` }));
  return { index, event, subject: subjectOfEvent(event, classify(event)), initialCount: 1 };
}

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a generation');
  return value;
}

function setup() {
  const store = new MemoryStateStore();
  return { store, incidents: createIncidents({ store, policy, logger: createLogger({ silent: true }) }) };
}

describe('incidents', () => {
  test('an event folded before is not counted again, and announces no update', async () => {
    const { incidents } = setup();
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert);

    const [again] = await incidents.apply(KEY, [work(0, 0)]);

    expect(again).toMatchObject({ publishNew: false, publishUpdate: false });
    expect(again?.alert.count).toBe(1);
  });

  test('an update not yet announced is owed again on the next apply, with the same number', async () => {
    const { incidents } = setup();
    const [first] = await incidents.apply(KEY, [work(0, 0)]);
    await incidents.markAnnounced(KEY, defined(first).alert);
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
});

describe('content digest', () => {
  test('a redelivered record has the digest of the first; another record under the same eventID does not', () => {
    const real = record({ eventName: 'DeleteIndex', eventId: 'same' });
    const forged = { ...real, eventName: 'GetApplication' };

    expect(contentDigest(eventOf(structuredClone(real)))).toBe(contentDigest(eventOf(real)));
    expect(contentDigest(eventOf(forged))).not.toBe(contentDigest(eventOf(real)));
  });
});
