import { createAdmission, MAX_EVENT_TIME_AHEAD_MS } from '../../../shared/engine/admission';
import { SeenEvents } from '../../../shared/engine/seen-events';
import type { InputOutcome, TriageInput } from '../../../shared/engine/types';
import type { TriageEvent } from '../../../shared/events';
import { engineWorld, SELF_ROLE } from '../../support/engine';
import { inputs, record } from '../../support/records';

function setup(activity?: { append(events: readonly TriageEvent[]): Promise<void> }) {
  const world = engineWorld();
  const outcomes = new Map<number, InputOutcome>();
  const admission = createAdmission({ ...world, activity });
  const admit = (batch: readonly TriageInput[], offset = 0, seen = new SeenEvents()) =>
    admission.admit(batch, offset, (index, outcome) => outcomes.set(index, outcome), seen);
  return { world, outcomes, admit };
}

describe('admission', () => {
  test('an input refused before the engine is rejected with its reason, at its position after the offset', async () => {
    const { outcomes, admit } = setup();

    const admitted = await admit([{ id: 'file:3', error: 'bad gzip' }], 10);

    expect(admitted).toEqual([]);
    expect(outcomes.get(10)).toEqual({ id: 'file:3', status: 'rejected', reason: 'bad gzip', eventId: undefined });
  });

  test('an event more than 15 minutes ahead of the clock is rejected, with its eventID', async () => {
    const { outcomes, admit } = setup();
    const ahead = record({ eventName: 'DeleteIndex', eventId: 'future-1', second: MAX_EVENT_TIME_AHEAD_MS / 1000 + 1 });

    await admit(inputs([ahead]));

    expect(outcomes.get(0)).toMatchObject({
      status: 'rejected',
      eventId: 'future-1',
      reason: expect.stringContaining('ahead of the clock'),
    });
  });

  test('an event exactly 15 minutes ahead is admitted', async () => {
    const { admit } = setup();

    const admitted = await admit(
      inputs([record({ eventName: 'DeleteIndex', second: MAX_EVENT_TIME_AHEAD_MS / 1000 })]),
    );

    expect(admitted).toHaveLength(1);
  });

  test("another service's record is passed over, not rejected", async () => {
    const { world, outcomes, admit } = setup();

    await admit(inputs([record({ eventName: 'PutObject', eventSource: 's3.amazonaws.com' })]));

    expect(outcomes.get(0)).toEqual({ id: 'msg-0', status: 'passed-over' });
    expect(world.metrics.get('EventsPassedOver')).toBe(1);
    expect(world.metrics.get('EventsRejected')).toBe(0);
  });

  test('a copy of an event already seen in the run, or marked processed in the store, is a duplicate', async () => {
    const { world, outcomes, admit } = setup();
    const seenCopy = record({ eventName: 'DeleteIndex', eventId: 'e-seen' });
    const storedCopy = record({ eventName: 'DeleteIndex', eventId: 'e-stored', second: 1 });
    const seen = new SeenEvents();
    await admit(inputs([seenCopy]), 0, seen);
    const [stored] = await admit(inputs([storedCopy]), 1);
    await world.store.markProcessed([stored!.fingerprint]);

    const admitted = await admit(inputs([seenCopy, storedCopy]), 2, seen);

    expect(admitted).toEqual([]);
    expect([outcomes.get(2)?.status, outcomes.get(3)?.status]).toEqual(['duplicate', 'duplicate']);
    expect(world.metrics.get('DuplicatesSuppressed')).toBe(2);
  });

  test('other content under an eventID already seen is admitted with the first record as evidence, and the first stays the reference', async () => {
    const { world, admit } = setup();
    const seen = new SeenEvents();
    await admit(inputs([record({ eventName: 'DeleteIndex', eventId: 'e-1' })]), 0, seen);

    const [reused] = await admit(inputs([record({ eventName: 'DeleteRetriever', eventId: 'e-1' })]), 1, seen);

    expect(reused?.reused?.sample?.eventName).toBe('DeleteIndex');
    expect(seen.get('e-1')?.sample?.eventName).toBe('DeleteIndex');
    expect(world.metrics.get('EventIdReused')).toBe(1);
  });

  test('the run keeps the digest of an informational first record, not its sample: a reuse of it is admitted without one', async () => {
    const { admit } = setup();
    const seen = new SeenEvents();
    await admit(inputs([record({ eventName: 'ListApplications', eventId: 'e-1' })]), 0, seen);

    const [reused] = await admit(inputs([record({ eventName: 'DeleteIndex', eventId: 'e-1' })]), 1, seen);

    expect(seen.get('e-1')?.sample).toBeUndefined();
    expect(reused?.reused).toEqual({ sample: undefined });
  });

  test('a Lambda batch (every sample kept) keeps the sample of an informational first record too', async () => {
    const { admit } = setup();
    const seen = new SeenEvents(true);

    await admit(inputs([record({ eventName: 'ListApplications', eventId: 'e-1' })]), 0, seen);

    expect(seen.get('e-1')?.sample?.eventName).toBe('ListApplications');
  });

  test('admitted events come out classified, in event-time order', async () => {
    const { admit } = setup();

    const admitted = await admit(
      inputs([record({ eventName: 'DeleteIndex', second: 30 }), record({ eventName: 'CreateIndex', second: 10 })]),
    );

    expect(admitted.map((item) => [item.index, item.event.eventName])).toEqual([
      [1, 'CreateIndex'],
      [0, 'DeleteIndex'],
    ]);
    expect(admitted[1]?.classification.rule).toBe('playbook/DeleteIndex');
  });

  test("the activity log gets every admitted event but the backend's own", async () => {
    const appended: string[] = [];
    const { world, admit } = setup({
      append: async (events) => void appended.push(...events.map((event) => event.eventName)),
    });

    await admit(
      inputs([record({ eventName: 'DeleteIndex' }), record({ eventName: 'ListMessages', principal: SELF_ROLE })]),
    );

    expect(appended).toEqual(['DeleteIndex']);
    expect(world.metrics.get('SelfEventsIgnored')).toBe(1);
  });

  test('a failed activity-log write does not stop admission', async () => {
    const { admit } = setup({ append: () => Promise.reject(new Error('throttled')) });

    const admitted = await admit(inputs([record({ eventName: 'DeleteIndex' })]));

    expect(admitted).toHaveLength(1);
  });

  test('events are counted in, whatever becomes of them', async () => {
    const { world, admit } = setup();

    await admit([{ id: 'x', error: 'not JSON' }, ...inputs([record({ eventName: 'DeleteIndex' })])]);

    expect(world.metrics.get('EventsIn')).toBe(2);
  });
});
