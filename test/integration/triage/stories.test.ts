/**
 * Issue 19's stories (test/support/stories.ts) through the deployed wiring (test/support/fault-world.ts): the
 * real handler module cold-started from the template's environment, its DynamoDB client on dynalite (with the
 * due-incidents index), its SNS client on a stub, fed by a simulated SQS queue in batches split differently,
 * then the schedule's sweep invocation. Each split gives the same alerts and pages, and one closing update.
 */
import { T0 } from '../../support/pipeline';
import {
  ALERTS,
  PAGING,
  faultWorldPerTest,
  seededShuffle,
  type AcceptedMessage,
  type FaultWorldOptions,
} from '../../support/fault-world';
import { operationCounts, recon, setup, decommission } from '../../support/stories';

const START = T0 + 3_600_000;
const MINUTE = 60_000;
jest.setTimeout(120_000);
const startWorld = faultWorldPerTest(START);
const results: string[] = [];

afterAll(() => {
  if (process.env.STORIES_REPORT !== undefined)
    process.stdout.write(
      `| story | split | alerts | pages | updates (closing) |\n|---|---|---|---|---|\n${results.join('\n')}\n`,
    );
});

const SPLITS: readonly [string, FaultWorldOptions][] = [
  ['one batch', { batchSize: 100 }],
  ['one event per batch', { batchSize: 1 }],
  ['batches of 3, reshuffled, 2 containers', { batchSize: 3, containers: 2, order: seededShuffle(11) }],
];

interface Received {
  readonly alerts: AcceptedMessage[];
  readonly pages: AcceptedMessage[];
  readonly updates: AcceptedMessage[];
}

async function run(
  name: string,
  split: string,
  story: Record<string, unknown>[],
  options: FaultWorldOptions,
): Promise<Received> {
  const world = await startWorld(options);
  world.send(story);
  await world.drain();
  // The episode's window and the close grace pass; the schedule invokes every container at once.
  jest.setSystemTime(Date.now() + 11 * MINUTE);
  await world.sweep();
  jest.setSystemTime(Date.now() + 5 * MINUTE);
  await world.sweep();
  const received = {
    alerts: world.accepted.filter((message) => message.topicArn === ALERTS && message.attributes.kind === 'new'),
    pages: world.accepted.filter((message) => message.topicArn === PAGING),
    updates: world.accepted.filter((message) => message.topicArn === ALERTS && message.attributes.kind === 'update'),
  };
  const closing = received.updates.filter((message) => message.document.closedAt !== undefined).length;
  results.push(
    `| ${name} | ${split} | ${received.alerts.length} | ${received.pages.length} | ${received.updates.length} (${closing}) |`,
  );
  expect(world.queue.deadLetters).toHaveLength(0);
  return received;
}

/** The last update is the one closing update, with the story's final counts; no other says closed. */
function expectOneClose({ updates }: Received, story: readonly Record<string, unknown>[], severity: string): void {
  expect(updates.filter((message) => message.document.closedAt !== undefined)).toHaveLength(1);
  expect(updates.at(-1)?.document).toMatchObject({
    closedAt: expect.any(String),
    count: story.length,
    eventNames: operationCounts(story),
    severity,
    status: expect.stringMatching(/^Closed at /u),
  });
  expect(updates.at(-1)?.subject).toMatch(/\(closed, update \d+\)$/u);
  // Every update of the incident has its own number: none sent twice.
  const numbers = updates.map((message) => message.document.updates);
  expect(new Set(numbers).size).toBe(numbers.length);
}

describe.each(SPLITS)('stories through the deployed handler, %s', (split, options) => {
  test('recon then escalate: one alert, one HIGH page (an escalation when the burst comes after the first alert), one closing update', async () => {
    const story = recon();
    const received = await run('recon then escalate', split, story, options);

    expect(received.alerts).toHaveLength(1);
    expect(new Set(received.pages.map((page) => page.document.alertId))).toEqual(
      new Set([received.alerts[0]?.document.alertId]),
    );
    expect(received.pages.map((page) => page.attributes.severity)).toEqual(['HIGH']);
    const [page] = received.pages;
    if (page?.attributes.kind === 'update') {
      // The rise pages as an update of the incident, and says so: from which severity, by which operation.
      expect(page.subject).toMatch(/\(escalated from (LOW|MEDIUM), update \d+\)$/u);
      expect(page.document).toMatchObject({
        status: expect.stringMatching(/^Escalated from (LOW|MEDIUM) to HIGH by /u),
        escalation: { to: 'HIGH' },
      });
    }
    expectOneClose(received, story, 'HIGH');
  });

  test('admin setup: one alert, no page, one closing update', async () => {
    const story = setup();
    const received = await run('admin setup', split, story, options);

    expect(received.alerts.map((message) => message.document.severity)).toEqual(['MEDIUM']);
    expect(received.pages).toHaveLength(0);
    expectOneClose(received, story, 'MEDIUM');
  });

  test('decommission: one alert, one page, one closing update', async () => {
    const story = decommission();
    const received = await run('decommission', split, story, options);

    expect(received.alerts.map((message) => message.document.severity)).toEqual(['HIGH']);
    expect(received.pages.map((message) => [message.attributes.kind, message.attributes.severity])).toEqual([
      ['new', 'HIGH'],
    ]);
    expectOneClose(received, story, 'HIGH');
  });
});
