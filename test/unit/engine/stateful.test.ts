import type { Alert } from '../../../shared/alerts/model';
import type { InputOutcome } from '../../../shared/engine/types';
import { admittedOf, engineStages, engineWorld, failing, SELF_ROLE, type StageOptions } from '../../support/engine';
import { record } from '../../support/records';

const INTRUDER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';

function setup(options: StageOptions = {}) {
  const world = engineWorld();
  const { stateful } = engineStages(world, options);
  const outcomes = new Map<number, InputOutcome>();
  const run = (values: readonly Record<string, unknown>[], remainingMs?: () => number) =>
    stateful.run(
      values.map((value, index) => admittedOf(world, value, index)),
      (index, outcome) => outcomes.set(index, outcome),
      remainingMs,
    );
  return { world, outcomes, run };
}

describe('stateful step', () => {
  test('an event that raises an incident is alerted with its id, a routine one classified; both marked processed', async () => {
    const { world, outcomes, run } = setup();

    const published = await run([
      record({ eventName: 'DeleteIndex', eventId: 'e-del' }),
      record({ eventName: 'ListMessages', eventId: 'e-list', second: 1 }),
    ]);

    expect(outcomes.get(0)).toMatchObject({ status: 'alerted', alertIds: [published[0]?.alert.id] });
    expect(outcomes.get(1)).toMatchObject({ status: 'classified', alertIds: [] });
    expect([...(await world.store.processed(['e-del', 'e-list'])).keys()].sort()).toEqual(['e-del', 'e-list']);
  });

  test("the backend's own events raise nothing", async () => {
    const { world, outcomes, run } = setup();

    await run([record({ eventName: 'DeleteIndex', principal: SELF_ROLE })]);

    expect(outcomes.get(0)?.status).toBe('classified');
    expect(world.notifier.messages).toEqual([]);
  });

  test("one actor's events of an episode are one incident", async () => {
    const { world, run } = setup();

    await run([
      record({ eventName: 'DeleteIndex', principal: INTRUDER }),
      record({ eventName: 'DeleteRetriever', principal: INTRUDER, second: 5 }),
    ]);

    expect(world.notifier.messages.filter((message) => message.kind === 'new')).toHaveLength(1);
    expect(world.notifier.messages[0]?.alert.count).toBe(2);
  });

  test('without the burst counters every event fails with the reason, and none is marked processed', async () => {
    const { world, outcomes, run } = setup({ store: failing('addToBurst') });

    await run([
      record({ eventName: 'DeleteIndex', eventId: 'e-1' }),
      record({ eventName: 'ListMessages', eventId: 'e-2', second: 1 }),
    ]);

    expect([...outcomes.values()].map((outcome) => outcome.status === 'failed' && outcome.reason)).toEqual([
      'state store: throttled',
      'state store: throttled',
    ]);
    expect(world.metrics.get('RecordsRetried')).toBe(2);
    expect((await world.store.processed(['e-1', 'e-2'])).size).toBe(0);
  });

  test('an incident that cannot be read fails its events only', async () => {
    const { outcomes, run } = setup({ store: failing('getIncident') });

    await run([record({ eventName: 'DeleteIndex' }), record({ eventName: 'ListMessages', second: 1 })]);

    expect(outcomes.get(0)).toMatchObject({ status: 'failed', reason: 'state store: throttled' });
    expect(outcomes.get(1)?.status).toBe('classified');
  });

  test('when the processed marks cannot be written, the done events fail, to be retried', async () => {
    const { outcomes, run } = setup({ store: failing('markProcessed') });

    await run([record({ eventName: 'ListMessages' })]);

    expect(outcomes.get(0)).toMatchObject({ status: 'failed', reason: 'state store: throttled' });
  });

  test('near the deadline nothing is published and the events are left for retry', async () => {
    const { world, outcomes, run } = setup({ reserveMs: 5_000 });

    await run([record({ eventName: 'DeleteIndex' })], () => 1_000);

    expect(outcomes.get(0)).toMatchObject({
      status: 'failed',
      reason: 'publish: near the function timeout: left for retry',
    });
    expect(world.notifier.messages).toEqual([]);
    expect(world.metrics.get('PublishFailures')).toBe(1);
  });

  test('in deferred mode each generation is held, not published', async () => {
    const held: Alert[] = [];
    const { world, outcomes, run } = setup({ hold: (alert) => held.push(alert) });

    await run([record({ eventName: 'DeleteIndex' })]);

    expect(held).toHaveLength(1);
    expect(outcomes.get(0)).toMatchObject({ status: 'alerted', alertIds: [held[0]?.id] });
    expect(world.notifier.messages).toEqual([]);
  });

  test('localized texts that fail to load leave alerts in English, once per container', async () => {
    let loads = 0;
    const { world, run } = setup({ localizedText: () => (loads++, Promise.reject(new Error('no such key'))) });

    await run([record({ eventName: 'DeleteIndex', principal: INTRUDER })]);
    await run([record({ eventName: 'DeleteIndex', second: 1 })]);

    expect(world.notifier.messages).toHaveLength(2);
    expect(loads).toBe(1);
  });

  test('localized texts, when loaded, give the alert its description', async () => {
    const { world, run } = setup({
      localizedText: async () => (operation) =>
        operation === 'DeleteIndex' ? { description: 'Un index a été supprimé.' } : undefined,
    });

    await run([record({ eventName: 'DeleteIndex' })]);

    expect(world.notifier.messages[0]?.alert.description).toBe('Un index a été supprimé.');
  });
});
