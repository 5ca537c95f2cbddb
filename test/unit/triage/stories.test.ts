/**
 * Issue 19's stories, one actor each: what the SOC receives (alerts, pages, update messages) in replay and
 * through the Lambda's engine with the batches split in different ways.
 */
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const ATTACKER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';
const ADMIN = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

const recon = (): Record<string, unknown>[] => [
  ...['ListApplications', 'GetApplication', 'ListIndices', 'ListPlugins', 'ListDataSources', 'ListRetrievers'].flatMap((eventName, i) => [
    record({ eventName, principal: ATTACKER, second: i * 4, errorCode: 'AccessDeniedException' }),
    record({ eventName, principal: ATTACKER, second: i * 4 + 2, errorCode: 'AccessDeniedException' }),
  ]),
  record({ eventName: 'CreatePlugin', principal: ATTACKER, second: 60 }),
  record({ eventName: 'AssociatePermission', principal: ATTACKER, second: 120 }),
];
const setup = (): Record<string, unknown>[] =>
  ['CreateApplication', 'CreateIndex', 'CreateRetriever', 'CreateDataSource', 'CreateDataSource', 'CreateWebExperience'].map((eventName, i) =>
    record({ eventName, principal: ADMIN, second: i * 30 }),
  );
const decommission = (): Record<string, unknown>[] =>
  ['DeleteWebExperience', 'DeleteDataSource', 'DeleteDataSource', 'DeleteRetriever', 'DeleteIndex', 'DeleteApplication'].map((eventName, i) =>
    record({ eventName, principal: ADMIN, second: i * 30 }),
  );

/** Splits a story into batches of `size` (as SQS would hand them to the Lambda). */
const batches = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function throughLambda(story: Record<string, unknown>[], size: number) {
  const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * 60_000 });
  for (const batch of batches(story, size)) {
    await triage.process(inputs(batch));
    clock.advance(20_000);
  }
  return {
    alerts: notifier.messages.filter((message) => message.kind === 'new'),
    updates: notifier.messages.filter((message) => message.kind === 'update'),
    pages: notifier.pages,
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

describe.each([1, 3, 7, 100])('stories through the Lambda engine, batches of %i', (size) => {
  test('recon then escalate: one incident, one alert, one page when it reaches HIGH (the rise is an update only if it came after the first alert)', async () => {
    const { alerts, updates, pages } = await throughLambda(recon(), size);

    expect(new Set([...alerts, ...updates, ...pages].map((message) => message.alert.id)).size).toBe(1);
    expect(alerts).toHaveLength(1);
    expect(pages.map((page) => [page.alert.severity, page.alert.rule])).toEqual([['HIGH', 'auth-failures']]);
    // The 10th denied call lifts the incident to HIGH: in the first batch when it holds 10, else in a later one.
    const risesLater = size < 10;
    expect(alerts[0]?.alert.severity).toBe(risesLater ? 'LOW' : 'HIGH');
    expect(updates.map((update) => [update.alert.severity, update.alert.paged])).toEqual(risesLater ? [['HIGH', true]] : []);
  });

  test('admin setup: one alert, no page, no update within the interval', async () => {
    const { alerts, updates, pages } = await throughLambda(setup(), size);

    expect(alerts).toHaveLength(1);
    expect(pages).toHaveLength(0);
    expect(updates).toHaveLength(0);
  });

  test('decommission: one incident, exactly one page', async () => {
    const { alerts, updates, pages } = await throughLambda(decommission(), size);

    expect(alerts.map((alert) => alert.alert.severity)).toEqual(['HIGH']);
    expect(pages).toHaveLength(1);
    expect(updates).toHaveLength(0);
  });
});

describe.each([1, 5, 100])('stories in replay, files of %i records', (size) => {
  test.each([
    ['recon then escalate', recon],
    ['admin setup', setup],
    ['decommission', decommission],
  ])('%s: one alert, and one page when it reaches HIGH', async (_name, story) => {
    const { alerts, pages } = await replay(story(), size);

    expect(alerts).toHaveLength(1);
    const paging = alerts[0]?.alert.severity === 'HIGH' || alerts[0]?.alert.severity === 'CRITICAL';
    expect(pages).toHaveLength(paging ? 1 : 0);
    // It names every operation of the story, with counts.
    const counts: Record<string, number> = {};
    for (const event of story()) counts[String(event.eventName)] = (counts[String(event.eventName)] ?? 0) + 1;
    expect(alerts[0]?.alert.eventNames).toEqual(counts);
  });
});
