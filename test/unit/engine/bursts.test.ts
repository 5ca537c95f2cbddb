import { burstCounts, createBursts } from '../../../shared/engine/bursts';
import { admittedOf, engineWorld, failing, type EngineWorld } from '../../support/engine';
import { record } from '../../support/records';

const INTRUDER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';

function setup() {
  const world = engineWorld();
  const rule = (id: string) => {
    const found = world.policy.bursts.find((candidate) => candidate.id === id);
    if (found === undefined) throw new Error(`no burst rule ${id}`);
    return found;
  };
  return { world, rule, bursts: createBursts(world) };
}

const deletes = (world: EngineWorld, count: number, principal = INTRUDER) =>
  Array.from({ length: count }, (_, i) =>
    admittedOf(world, record({ eventName: 'BatchDeleteDocument', principal, second: i }), i),
  );

describe('burstCounts', () => {
  test('an operation rule counts successful calls of its operations only', () => {
    const { world, rule } = setup();
    const ok = admittedOf(world, record({ eventName: 'BatchDeleteDocument' }));
    const denied = admittedOf(world, record({ eventName: 'BatchDeleteDocument', errorCode: 'AccessDenied' }));
    const other = admittedOf(world, record({ eventName: 'CreateIndex' }));

    expect(
      [ok, denied, other].map(({ event, classification }) => burstCounts(rule('bulk-delete'), event, classification)),
    ).toEqual([true, false, false]);
  });

  test('the authorization-failure rule counts denied calls of any operation', () => {
    const { world, rule } = setup();
    const denied = admittedOf(world, record({ eventName: 'CreateIndex', errorCode: 'AccessDenied' }));
    const ok = admittedOf(world, record({ eventName: 'CreateIndex' }));

    expect(
      [denied, ok].map(({ event, classification }) => burstCounts(rule('auth-failures'), event, classification)),
    ).toEqual([true, false]);
  });
});

describe('bursts', () => {
  test('events are grouped by principal and rule', () => {
    const { world, bursts } = setup();
    const events = [...deletes(world, 2), ...deletes(world, 1, 'arn:aws:iam::111122223333:user/bob')];

    const groups = bursts.groups(events);

    expect([...groups.keys()]).toEqual([
      `${events[0]!.event.principal.key}#bulk-delete`,
      `${events[2]!.event.principal.key}#bulk-delete`,
    ]);
    expect(groups.get(`${events[0]!.event.principal.key}#bulk-delete`)?.items).toHaveLength(2);
  });

  test('below the threshold no event joins a burst', async () => {
    const { world, bursts, rule } = setup();

    expect(await bursts.judge(deletes(world, rule('bulk-delete').threshold - 1))).toEqual([]);
  });

  test('at the threshold every event of the window joins, the earlier ones too, with the peak in the subject', async () => {
    const { world, bursts, rule } = setup();
    const threshold = rule('bulk-delete').threshold;

    const work = await bursts.judge(deletes(world, threshold));

    expect(work.map((item) => item.index)).toEqual(Array.from({ length: threshold }, (_, i) => i));
    expect(work[0]?.initialCount).toBe(1);
    expect(work[threshold - 1]?.initialCount).toBe(threshold);
    expect(work[0]?.subject.rule).toBe('bulk-delete');
  });

  test('counts persist in the store: a later batch completes the burst, and a counted event is not counted twice', async () => {
    const { world, bursts, rule } = setup();
    const events = deletes(world, rule('bulk-delete').threshold);
    await bursts.judge(events.slice(0, 10));

    const again = await bursts.judge(events.slice(0, 10));
    const rest = await bursts.judge(events.slice(10));

    expect(again).toEqual([]);
    expect(rest.map((item) => item.index)).toEqual(events.slice(10).map((item) => item.index));
  });

  test('a counter that cannot be written throws', async () => {
    const world = engineWorld();
    const bursts = createBursts({ policy: world.policy, store: failing('addToBurst')(world.store) });

    await expect(bursts.judge(deletes(world, 1))).rejects.toThrow('throttled');
  });
});
