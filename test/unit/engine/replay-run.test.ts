import { needsState, openReplayRun } from '../../../shared/engine/replay-run';
import type { InputOutcome, SettledInput, TriageRunOptions } from '../../../shared/engine/types';
import { MemoryStateStore } from '../../../shared/state';
import { admittedOf, engineStages, engineWorld, SELF_ROLE } from '../../support/engine';
import { T0 } from '../../support/pipeline';
import { record } from '../../support/records';

const MINUTE = 60_000;
const INTRUDER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';

function setup(options: TriageRunOptions = {}) {
  const world = engineWorld();
  // As replay keeps it: no processed marks, the run's own memory finds duplicates.
  const { store, admission, bursts, stateful } = engineStages(world, {
    store: () => new MemoryStateStore({ rememberProcessed: false }),
  });
  const run = openReplayRun({ ...world, store, admission, bursts, stateful }, options);
  let position = 0;
  /** Adds one batch (one log file): ids are `batch:position`. */
  const add = (values: readonly Record<string, unknown>[]) =>
    run.add(values.map((value) => ({ id: `batch:${position++}`, value })));
  return { world, run, add };
}

const statuses = (settled: readonly SettledInput[]): [number, InputOutcome['status']][] =>
  settled.map(({ position, outcome }) => [position, outcome.status]);

describe('needsState', () => {
  const world = engineWorld();
  const needs = (value: Record<string, unknown>) => needsState(world.policy, admittedOf(world, value));

  test('an event that can raise an incident, or that a burst rule counts, needs state', () => {
    expect(needs(record({ eventName: 'DeleteIndex' }))).toBe(true);
    expect(needs(record({ eventName: 'ListMessages' }))).toBe(true);
  });

  test("a routine event no rule counts, or the backend's own, does not", () => {
    expect(needs(record({ eventName: 'ListApplications' }))).toBe(false);
    expect(needs(record({ eventName: 'DeleteIndex', principal: SELF_ROLE }))).toBe(false);
  });

  test('an event under a reused eventID does, whatever its severity', () => {
    const item = {
      ...admittedOf(world, record({ eventName: 'ListApplications' })),
      reused: { sample: admittedOf(world, record({ eventName: 'DeleteIndex' })).fingerprint.sample },
    };

    expect(needsState(world.policy, item)).toBe(true);
  });
});

describe('replay run', () => {
  test('an event that needs no state settles in its batch; one that does waits for the reorder window', async () => {
    const { run, add } = setup({ reorderWindowMs: MINUTE });

    const first = await add([
      record({ eventName: 'ListApplications' }),
      record({ eventName: 'DeleteIndex', second: 1 }),
    ]);
    const second = await add([record({ eventName: 'ListApplications', second: 120 })]);

    expect(statuses(first)).toEqual([[0, 'classified']]);
    expect(statuses(second)).toEqual([
      [2, 'classified'],
      [1, 'alerted'],
    ]);
    expect(run.settledThrough()).toBe(T0 + 120_000 - MINUTE);
  });

  test('a burst-counted event waits until its burst window has passed', async () => {
    const { world, add } = setup({ reorderWindowMs: 0 });

    const early = await add([
      record({ eventName: 'ListMessages' }),
      record({ eventName: 'DeleteIndex', principal: INTRUDER, second: 60 }),
    ]);
    const later = await add([
      record({ eventName: 'ListApplications', second: world.policy.burstWindowMs / 1000 + 60 }),
    ]);

    expect(statuses(early)).toEqual([]);
    expect(statuses(later).map(([position]) => position)).toEqual(expect.arrayContaining([0, 1]));
  });

  test('finish settles every held event, by position', async () => {
    const { add, run } = setup({ reorderWindowMs: MINUTE });
    await add([
      record({ eventName: 'DeleteRetriever', second: 30 }),
      record({ eventName: 'DeleteIndex', principal: INTRUDER }),
    ]);

    const settled = await run.finish();

    expect(statuses(settled)).toEqual([
      [0, 'alerted'],
      [1, 'alerted'],
    ]);
  });

  test('a copy in a later batch is a duplicate', async () => {
    const { add, run } = setup();
    const deletion = record({ eventName: 'DeleteIndex', eventId: 'e-1' });
    await add([deletion]);

    const copy = await add([deletion]);
    await run.finish();

    expect(statuses(copy)).toEqual([[1, 'duplicate']]);
  });

  test('an event behind what is already settled is triaged at once and counted late', async () => {
    const { add, run } = setup({ reorderWindowMs: 0 });
    await add([record({ eventName: 'DeleteIndex', second: 600 })]);

    const behind = await add([record({ eventName: 'DeleteRetriever', principal: INTRUDER, second: 0 })]);

    expect(statuses(behind)).toEqual([[1, 'alerted']]);
    expect(run.late()).toBe(1);
  });

  test('past the horizon an event id is forgotten: a copy from further back is triaged again', async () => {
    const { add, run } = setup({ reorderWindowMs: 0, horizonMs: 0 });
    const deletion = record({ eventName: 'DeleteIndex', eventId: 'e-1', second: -3600 });
    await add([deletion]);
    await add([record({ eventName: 'ListApplications' })]);

    const copy = await add([deletion]);

    expect(statuses(copy)).toEqual([[2, 'alerted']]);
    expect(run.late()).toBe(1);
  });

  test('nothing is settled before the first event', () => {
    const { run } = setup();

    expect(run.settledThrough()).toBe(Number.NEGATIVE_INFINITY);
  });
});
