/**
 * Issue 19's stories (test/support/stories.ts), one actor each: what the SOC receives (alerts, pages, update
 * messages, the closing update) in replay and through the Lambda's engine with the batches split in different
 * ways. The deployed handler wiring runs the same stories in test/integration/triage/stories.test.ts.
 */
import { T0, testPipeline } from '../../support/pipeline';
import { inputs } from '../../support/records';
import { batches, decommission, operationCounts, recon, setup, STORIES } from '../../support/stories';

const MINUTE = 60_000;

/** Irregular batches: the sizes in turn, the last one repeated. */
const split = <T>(items: readonly T[], sizes: readonly number[]): T[][] => {
  const result: T[][] = [];
  for (let start = 0, i = 0; start < items.length; i += 1) {
    const size = sizes[Math.min(i, sizes.length - 1)] as number;
    result.push(items.slice(start, start + size));
    start += size;
  }
  return result;
};

const SPLITS: readonly [string, (story: readonly Record<string, unknown>[]) => Record<string, unknown>[][]][] = [
  ['one batch', (story) => [story.slice()]],
  ['one event per batch', (story) => batches(story, 1)],
  ['batches of 3', (story) => batches(story, 3)],
  ['batches of 7', (story) => batches(story, 7)],
  ['batches of 5, 1, 8, 2', (story) => split(story, [5, 1, 8, 2])],
];

async function throughLambda(
  story: Record<string, unknown>[],
  splitStory: (story: readonly Record<string, unknown>[]) => Record<string, unknown>[][],
) {
  const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * MINUTE });
  const parts = splitStory(story);
  for (const batch of parts) {
    await triage.process(inputs(batch));
    clock.advance(20_000);
  }
  // The schedule's sweep, once the episode's window and the close grace have passed.
  clock.set(T0 + 20 * MINUTE);
  await triage.sweep();
  await triage.sweep();
  return {
    alerts: notifier.messages.filter((message) => message.kind === 'new'),
    updates: notifier.messages.filter((message) => message.kind === 'update'),
    pages: notifier.pages,
    firstBatch: parts[0]?.length ?? 0,
  };
}

async function replay(story: Record<string, unknown>[], size: number) {
  const { triage, notifier } = testPipeline({ mode: 'deferred' });
  const run = triage.open();
  for (const batch of batches(story, size)) await run.add(inputs(batch));
  await run.finish();
  await triage.flush();
  return { alerts: notifier.messages, pages: notifier.pages };
}

describe.each(SPLITS)('stories through the Lambda engine, %s', (_name, splitStory) => {
  test('recon then escalate: one incident, one alert, one page when it reaches HIGH, one closing update', async () => {
    const { alerts, updates, pages, firstBatch } = await throughLambda(recon(), splitStory);

    expect(new Set([...alerts, ...updates, ...pages].map((message) => message.alert.id)).size).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(pages.map((page) => [page.alert.severity, page.alert.rule])).toEqual([['HIGH', 'auth-failures']]);
    // The 10th denied call lifts the incident to HIGH: in the first batch when it holds 10, else in a later one,
    // where the rise is an update that pages and says so.
    const risesLater = firstBatch < 10;
    expect(alerts[0]?.alert.severity).toBe(risesLater ? 'LOW' : 'HIGH');
    expect(updates.map((update) => [update.alert.severity, update.alert.closedAt !== undefined])).toEqual(
      risesLater
        ? [
            ['HIGH', false],
            ['HIGH', true],
          ]
        : [['HIGH', true]],
    );
    if (risesLater) {
      // Each batch's change counts as an update (held back by the interval); the page is the one that rose.
      expect(pages[0]).toMatchObject({
        kind: 'update',
        alert: { escalation: { from: 'LOW', to: 'HIGH', rule: 'auth-failures', update: pages[0]?.alert.updates } },
      });
      expect(updates[0]?.id).not.toBe(pages[0]?.id);
      expect(updates[0]?.alert.updates).toBe(pages[0]?.alert.updates);
    }
    expect(updates.at(-1)?.alert).toMatchObject({ count: 14, eventNames: operationCounts(recon()), paged: true });
  });

  test('admin setup: one alert, no page, and one closing update with every operation', async () => {
    const { alerts, updates, pages } = await throughLambda(setup(), splitStory);

    expect(alerts.map((alert) => alert.alert.severity)).toEqual(['MEDIUM']);
    expect(pages).toHaveLength(0);
    expect(updates.map((update) => [update.alert.count, update.alert.closedAt !== undefined])).toEqual([[6, true]]);
    expect(updates[0]?.alert.eventNames).toEqual(operationCounts(setup()));
  });

  test('decommission: one incident, exactly one page, one closing update', async () => {
    const { alerts, updates, pages } = await throughLambda(decommission(), splitStory);

    expect(alerts.map((alert) => alert.alert.severity)).toEqual(['HIGH']);
    expect(pages.map((page) => page.kind)).toEqual(['new']);
    expect(updates.map((update) => [update.alert.count, update.alert.closedAt !== undefined])).toEqual([[6, true]]);
  });
});

describe.each([1, 5, 100])('stories in replay, files of %i records', (size) => {
  test.each(STORIES)('%s: one alert in its final state, and one page when it reaches HIGH', async (_name, story) => {
    const { alerts, pages } = await replay(story(), size);

    expect(alerts).toHaveLength(1);
    const paging = alerts[0]?.alert.severity === 'HIGH' || alerts[0]?.alert.severity === 'CRITICAL';
    expect(pages).toHaveLength(paging ? 1 : 0);
    // It names every operation of the story, with counts.
    expect(alerts[0]?.alert.eventNames).toEqual(operationCounts(story()));
  });
});
