import type { Alert } from '../../../shared/alerts/model';
import { createDeferredFlush, type DeferredFlush } from '../../../shared/engine/deferred-flush';
import { admittedOf, engineStages, engineWorld } from '../../support/engine';
import { T0 } from '../../support/pipeline';
import { record } from '../../support/records';

const MINUTE = 60_000;
const BOB = 'arn:aws:iam::111122223333:user/bob';

function setup(pagesPerHour = 20) {
  const world = engineWorld();
  const held: Alert[] = [];
  const { delivery, publishing, stateful } = engineStages(world, { pagesPerHour, hold: (alert) => held.push(alert) });
  const deferred: DeferredFlush = createDeferredFlush({
    policy: world.policy,
    delivery,
    publishing,
    metrics: world.metrics,
    publishConcurrency: 4,
  });
  let position = 0;
  /** Triages the records (deferred: held, not sent) and hands what they made to the flush. */
  const triage = async (values: readonly Record<string, unknown>[]) => {
    await stateful.run(
      values.map((value) => admittedOf(world, value, position++)),
      () => undefined,
    );
    for (const alert of held.splice(0)) deferred.hold(alert);
  };
  return { world, deferred, triage };
}

describe('deferred flush', () => {
  test('nothing held, nothing published', async () => {
    const { world, deferred } = setup();

    expect(await deferred.flush()).toEqual([]);
    expect(world.notifier.messages).toEqual([]);
  });

  test('at the end every incident is published once, in its final state, in first-seen order', async () => {
    const { world, deferred, triage } = setup();
    await triage([
      record({ eventName: 'DeleteIndex', principal: BOB, second: 10 }),
      record({ eventName: 'DeleteIndex' }),
      record({ eventName: 'DeleteRetriever', principal: BOB, second: 20 }),
    ]);

    const published = await deferred.flush();

    expect(published.map((alert) => [alert.principal.arn, alert.count])).toEqual([
      [expect.stringContaining('alice'), 1],
      [BOB, 2],
    ]);
    expect(world.notifier.messages.map((message) => message.kind)).toEqual(['new', 'new']);
    expect(world.metrics.get('AlertsPublished')).toBe(2);
    expect(await deferred.flush()).toEqual([]);
  });

  test('an incident an event at the settled time can still join waits', async () => {
    const { world, deferred, triage } = setup();
    await triage([record({ eventName: 'DeleteIndex' })]);

    const whileOpen = await deferred.flush(T0 + MINUTE);
    const closed = await deferred.flush(T0 + world.policy.aggregationWindowMs + MINUTE);

    expect(whileOpen).toEqual([]);
    expect(closed).toHaveLength(1);
  });

  test('a HIGH incident pages in the hour it began, within the cap; past it, it says why', async () => {
    const { world, deferred, triage } = setup(1);
    await triage([
      record({ eventName: 'DeleteIndex' }),
      record({ eventName: 'DeleteIndex', principal: BOB, second: 1 }),
    ]);

    const [first, second] = await deferred.flush();

    expect(first?.paged).toBe(true);
    expect(second?.paged).toBe(false);
    expect(second?.reasons).toContain('not paged: the cap of 1 pages per hour was reached');
    expect(world.notifier.pages.map((page) => page.alert.id)).toContain(first?.id);
    expect(world.notifier.pages.map((page) => page.alert.id)).not.toContain(second?.id);
  });

  test('a late event joining an incident an earlier flush published sends a numbered update, on the alerts topic only', async () => {
    const { world, deferred, triage } = setup();
    await triage([record({ eventName: 'DeleteIndex' })]);
    const [published] = await deferred.flush(T0 + world.policy.aggregationWindowMs + MINUTE);
    const pagesBefore = world.notifier.pages.length;

    await triage([record({ eventName: 'DeleteRetriever', second: 60 })]);
    await deferred.flush();

    const update = world.notifier.messages.find((message) => message.kind === 'update');
    expect(update?.alert).toMatchObject({ id: published?.id, updates: 1, paged: published?.paged });
    expect(world.notifier.pages).toHaveLength(pagesBefore);
    expect(world.metrics.get('AlertUpdatesPublished')).toBe(1);
  });

  test('an incident forgotten past the horizon gets no update', async () => {
    const { world, deferred, triage } = setup();
    await triage([record({ eventName: 'DeleteIndex' })]);
    await deferred.flush(T0 + world.policy.aggregationWindowMs + MINUTE);
    deferred.forgetPublishedBefore(T0 + MINUTE);

    await triage([record({ eventName: 'DeleteRetriever', second: 60 })]);
    await deferred.flush();

    expect(world.notifier.messages.map((message) => message.kind)).not.toContain('update');
  });
});
