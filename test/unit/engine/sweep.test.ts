/**
 * The incident sweep (shared/engine/sweep.ts): the closing update of an episode that simply ends, and the update
 * the interval held back, sent once each, never as a page, under retries and concurrent sweeps.
 */
import { createLogger } from '../../../shared/logger';
import { MemoryStateStore } from '../../../shared/state';
import { T0, testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const ALICE = 'arn:aws:sts::111122223333:assumed-role/Analyst/alice';
const MINUTE = 60_000;
/** Past the last event's aggregation window (5 min) and the close grace (5 min). */
const AFTER_THE_EPISODE = 11 * MINUTE;

describe('incident sweep', () => {
  test('an episode that simply ends gets one closing update with its final counts, and no page', async () => {
    const { triage, notifier, clock } = testPipeline();
    await triage.process(
      inputs([
        record({ eventName: 'DeleteIndex', principal: ALICE }),
        record({ eventName: 'CreateIndex', principal: ALICE, second: 30 }),
      ]),
    );

    clock.advance(AFTER_THE_EPISODE);
    const swept = await triage.sweep();
    const again = await triage.sweep();

    const [first, closing] = notifier.messages;
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new', 'update']);
    expect(closing?.alert).toMatchObject({
      id: first?.alert.id,
      updates: 1,
      count: 2,
      severity: 'HIGH',
      eventNames: { DeleteIndex: 1, CreateIndex: 1 },
      closedAt: new Date(T0 + AFTER_THE_EPISODE).toISOString(),
    });
    expect(notifier.pages).toHaveLength(1);
    expect(swept).toMatchObject({ due: 1, failed: 0 });
    expect(again).toEqual({ due: 0, sent: [], failed: 0 });
  });

  test('an open episode is not closed before its window and the grace have passed', async () => {
    const { triage, notifier, clock } = testPipeline();
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));

    clock.advance(AFTER_THE_EPISODE - 2 * MINUTE);
    const swept = await triage.sweep();

    expect(swept.due).toBe(0);
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new']);
  });

  test('an update the interval held back is sent by the sweep once due, and the close is then its own message', async () => {
    const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 2 * MINUTE });
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));
    clock.advance(MINUTE);
    await triage.process(inputs([record({ eventName: 'CreateRetriever', principal: ALICE, second: 60 })]));
    expect(notifier.messages).toHaveLength(1);

    clock.advance(MINUTE);
    await triage.sweep();
    clock.advance(AFTER_THE_EPISODE);
    await triage.sweep();

    expect(
      notifier.messages.map((message) => [
        message.kind,
        message.alert.updates,
        message.alert.count,
        message.alert.closedAt !== undefined,
      ]),
    ).toEqual([
      ['new', 0, 1, false],
      ['update', 1, 2, false],
      ['update', 2, 2, true],
    ]);
  });

  test('an update still held back when the episode ends is the closing update: one message, not two', async () => {
    const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * MINUTE });
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));
    clock.advance(MINUTE);
    await triage.process(inputs([record({ eventName: 'CreateRetriever', principal: ALICE, second: 60 })]));

    clock.advance(AFTER_THE_EPISODE);
    await triage.sweep();

    expect(
      notifier.messages.map((message) => [
        message.kind,
        message.alert.updates,
        message.alert.count,
        message.alert.closedAt !== undefined,
      ]),
    ).toEqual([
      ['new', 0, 1, false],
      ['update', 1, 2, true],
    ]);
  });

  test('two containers sweeping at once send the closing update once', async () => {
    const store = new MemoryStateStore();
    const one = testPipeline({ store });
    const two = testPipeline({ store, notifier: one.notifier, clock: one.clock });
    await one.triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));

    one.clock.advance(AFTER_THE_EPISODE);
    await Promise.all([one.triage.sweep(), two.triage.sweep(), one.triage.sweep()]);

    expect(one.notifier.messages.map((message) => message.kind)).toEqual(['new', 'update']);
  });

  test('a closing update SNS refused is sent by the next sweep, under the same message id', async () => {
    const { triage, notifier, clock } = testPipeline();
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));
    clock.advance(AFTER_THE_EPISODE);

    notifier.failNext = 1;
    const failed = await triage.sweep();
    const retried = await triage.sweep();
    const [, closing] = notifier.messages;

    expect(failed).toMatchObject({ due: 1, failed: 1 });
    expect(retried).toMatchObject({ due: 1, failed: 0 });
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new', 'update']);
    expect(closing?.alert.closedAt).toBeDefined();
    expect((await triage.sweep()).due).toBe(0);
  });

  test('after the close, a new event of the actor opens a new incident; a redelivered one of the closed incident does not', async () => {
    const { triage, notifier, clock } = testPipeline();
    const first = record({ eventName: 'CreateIndex', principal: ALICE, eventId: 'closed-one' });
    await triage.process(inputs([first]));
    clock.advance(AFTER_THE_EPISODE);
    await triage.sweep();

    // Late by event time (inside the closed incident's window) but after the close.
    await triage.process(inputs([record({ eventName: 'CreateRetriever', principal: ALICE, second: 100 })]));
    await triage.process(inputs([first]));

    const ids = notifier.messages.map((message) => [message.kind, message.alert.id] as const);
    expect(ids.map(([kind]) => kind)).toEqual(['new', 'update', 'new']);
    expect(ids[2]?.[1]).not.toBe(ids[0]?.[1]);
  });

  test('a batch that finds the episode ended before the sweep closes it once; the sweep then sends nothing for it', async () => {
    const { triage, notifier, clock } = testPipeline();
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));

    clock.advance(7 * MINUTE);
    await triage.process(inputs([record({ eventName: 'CreateRetriever', principal: ALICE, second: 400 })]));
    clock.advance(AFTER_THE_EPISODE);
    await triage.sweep();

    expect(
      notifier.messages.map((message) => [
        message.kind,
        message.alert.eventNames,
        message.alert.closedAt !== undefined,
      ]),
    ).toEqual([
      ['new', { CreateIndex: 1 }, false],
      ['update', { CreateIndex: 1 }, true],
      ['new', { CreateRetriever: 1 }, false],
      ['update', { CreateRetriever: 1 }, true],
    ]);
  });

  test('near the deadline the sweep starts no incident: it stays due for the next sweep', async () => {
    const { triage, notifier, clock } = testPipeline({ reserveMs: 5000 });
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));
    clock.advance(AFTER_THE_EPISODE);

    const late = await triage.sweep({ remainingMs: () => 1000 });
    const next = await triage.sweep({ remainingMs: () => 25_000 });

    expect(late).toEqual({ due: 1, sent: [], failed: 0 });
    expect(next).toMatchObject({ due: 1, failed: 0 });
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new', 'update']);
  });

  test('replay (deferred mode) sends each incident once in its final state: the sweep has nothing to do', async () => {
    const { triage, notifier } = testPipeline({ mode: 'deferred', logger: createLogger({ silent: true }) });
    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: ALICE })]));
    await triage.flush();

    expect((await triage.sweep()).due).toBe(0);
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new']);
  });
});
