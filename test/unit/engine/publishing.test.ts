import type { Alert, Enrichment, PrincipalContext } from '../../../shared/alerts/model';
import { createDelivery } from '../../../shared/engine/delivery';
import { createIncidents, type Generation } from '../../../shared/engine/incidents';
import { createPublishing, type FollowUp } from '../../../shared/engine/publishing';
import type { ContextProvider, Enricher } from '../../../shared/engine/types';
import { testAlert } from '../../support/alerts';
import { admittedOf, engineWorld } from '../../support/engine';
import { record } from '../../support/records';
import { subjectOfEvent } from '../../../shared/alerts/builder';

const ANSWER: Enrichment = {
  status: 'answered',
  answer: 'Restore the index from its definition.',
  citations: [],
  source: 'local-playbooks',
};
const CONTEXT: PrincipalContext = {
  windowHours: 24,
  complete: true,
  answers: [],
  sourceIps: ['198.51.100.7'],
  userAgents: [],
};

function setup(options: { pagesPerHour?: number; enricher?: Enricher; context?: ContextProvider } = {}) {
  const world = engineWorld();
  const delivery = createDelivery({ ...world, pagesPerHour: options.pagesPerHour ?? 20, sleep: async () => undefined });
  const incidents = createIncidents({ ...world, updateIntervalMs: 0 });
  const publishing = createPublishing({
    ...world,
    delivery,
    incidents,
    pagesPerHour: options.pagesPerHour ?? 20,
    mode: 'immediate',
    enricher: options.enricher,
    context: options.context,
  });
  return { world, incidents, publishing };
}

const generation = (alert: Alert, owes: Partial<Generation> = {}): Generation => ({
  alert,
  publishNew: true,
  publishUpdate: false,
  pageRise: false,
  pagedBefore: false,
  stored: false,
  eventIndexes: new Set([0]),
  ...owes,
});

describe('publishing: a generation delivered', () => {
  test('a new HIGH incident sends its alert and its page, once', async () => {
    const { world, publishing } = setup();
    const alert = testAlert({ id: 'a-high', severity: 'HIGH' });

    const first = await publishing.deliverGeneration('k', generation(alert), []);
    const again = await publishing.deliverGeneration('k', generation(alert), []);

    expect(first).toMatchObject({ kind: 'new', alert: { id: 'a-high', paged: true } });
    expect(again).toBeUndefined();
    expect(world.notifier.messages).toHaveLength(1);
    expect(world.notifier.pages).toHaveLength(1);
    expect(world.metrics.get('AlertsPublished')).toBe(1);
  });

  test('past the page cap the alert goes out unpaged, saying why', async () => {
    const { world, publishing } = setup({ pagesPerHour: 1 });
    await publishing.deliverGeneration('k1', generation(testAlert({ id: 'a-1', severity: 'HIGH' })), []);

    const second = await publishing.deliverGeneration('k2', generation(testAlert({ id: 'a-2', severity: 'HIGH' })), []);

    expect(second?.alert.paged).toBe(false);
    expect(second?.alert.reasons).toContain('not paged: the cap of 1 pages per hour was reached');
    expect(world.notifier.messages.map((message) => message.alert.id)).toEqual(expect.arrayContaining(['a-1', 'a-2']));
    expect(world.notifier.pages.map((page) => page.alert.id)).not.toContain('a-2');
  });

  test('a MEDIUM incident sends no page', async () => {
    const { world, publishing } = setup();

    await publishing.deliverGeneration('k', generation(testAlert({ severity: 'MEDIUM' })), []);

    expect(world.notifier.messages).toHaveLength(1);
    expect(world.notifier.pages).toEqual([]);
  });

  test('a generation that owes nothing sends nothing', async () => {
    const { world, publishing } = setup();

    expect(await publishing.deliverGeneration('k', generation(testAlert(), { publishNew: false }), [])).toBeUndefined();
    expect(world.notifier.messages).toEqual([]);
  });

  test('an owed update goes out as an update, without a page unless the severity rose', async () => {
    const { world, publishing } = setup();

    const sent = await publishing.deliverGeneration(
      'k',
      generation(testAlert({ severity: 'HIGH', updates: 2 }), { publishNew: false, publishUpdate: true }),
      [],
    );

    expect(sent?.kind).toBe('update');
    expect(world.notifier.messages.map((message) => message.kind)).toEqual(['update']);
    expect(world.notifier.pages).toEqual([]);
    expect(world.metrics.get('AlertUpdatesPublished')).toBe(1);
  });

  test('a rise to a paging severity pages with the update', async () => {
    const { world, publishing } = setup();

    const sent = await publishing.deliverGeneration(
      'k',
      generation(testAlert({ severity: 'HIGH', updates: 1 }), {
        publishNew: false,
        publishUpdate: true,
        pageRise: true,
      }),
      [],
    );

    expect(sent?.alert.paged).toBe(true);
    expect(world.notifier.pages.map((page) => page.kind)).toEqual(['update']);
  });

  test('a stored incident records what was sent: published, and the severity it paged for', async () => {
    const { world, incidents, publishing } = setup();
    const item = admittedOf(world, record({ eventName: 'DeleteIndex' }));
    const [opened] = await incidents.apply('alice#actor', [
      { index: 0, event: item.event, subject: subjectOfEvent(item.event, item.classification), initialCount: 1 },
    ]);

    await publishing.deliverGeneration('alice#actor', opened!, []);

    const stored = await world.store.getIncident('alice#actor');
    expect(stored?.published).toBe(true);
    expect(stored?.pagedSeverity).toBe(opened!.alert.severity);
  });

  test('a failed send throws, for the records to be retried', async () => {
    const { world, publishing } = setup();
    world.notifier.failNext = 1;

    await expect(publishing.deliverGeneration('k', generation(testAlert()), [])).rejects.toThrow('SNS is down');
  });
});

describe('publishing: enrichment', () => {
  function asking() {
    const asked: string[] = [];
    const enricher: Enricher = { enrich: async () => (asked.push('answer'), ANSWER) };
    const context: ContextProvider = { describe: async () => (asked.push('context'), CONTEXT) };
    return { asked, enricher, context };
  }

  test('a MEDIUM alert gets the answer and the principal context', async () => {
    const { asked, enricher, context } = asking();
    const { world, publishing } = setup({ enricher, context });

    const enriched = await publishing.enrich(testAlert({ severity: 'MEDIUM' }));

    expect(enriched).toMatchObject({ enrichment: ANSWER, context: CONTEXT });
    expect(asked.sort()).toEqual(['answer', 'context']);
    expect(world.metrics.get('EnrichmentAnswered')).toBe(1);
  });

  test('a LOW alert gets the answer only, and an alert that has one is not asked again', async () => {
    const { asked, enricher, context } = asking();
    const { publishing } = setup({ enricher, context });

    await publishing.enrich(testAlert({ severity: 'LOW' }));
    await publishing.enrich(testAlert({ severity: 'LOW', enrichment: ANSWER }));

    expect(asked).toEqual(['answer']);
  });

  test('with enrichment turned off and no context, the first message carries the reason and nothing follows', async () => {
    const turnedOff: Enrichment = { status: 'disabled', reason: 'enrichment is turned off', citations: [] };
    const enricher: Enricher = { enrich: async () => turnedOff, turnedOff };
    const { world, publishing } = setup({ enricher });
    const followUps: FollowUp[] = [];

    const sent = await publishing.deliverGeneration('k', generation(testAlert({ severity: 'HIGH' })), followUps);

    expect(sent?.alert).toMatchObject({ enrichment: turnedOff });
    expect(sent?.alert.enrichmentFollows).toBeUndefined();
    expect(followUps).toEqual([]);
    expect(world.notifier.messages).toHaveLength(1);
  });

  test('with enrichment turned off, context still follows a HIGH alert, carrying the same reason', async () => {
    const turnedOff: Enrichment = { status: 'disabled', reason: 'enrichment is turned off', citations: [] };
    const enricher: Enricher = { enrich: async () => turnedOff, turnedOff };
    const context: ContextProvider = { describe: async () => CONTEXT };
    const { publishing } = setup({ enricher, context });
    const followUps: FollowUp[] = [];

    const sent = await publishing.deliverGeneration('k', generation(testAlert({ severity: 'HIGH' })), followUps);

    expect(sent?.alert).toMatchObject({ enrichment: turnedOff, enrichmentFollows: true });
    expect(followUps).toHaveLength(1);
  });
});
