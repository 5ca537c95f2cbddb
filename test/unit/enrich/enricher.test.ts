import { fixedClock } from '../../../shared/clock';
import {
  AnswerSourceError,
  AnswerThrottledError,
  createEnricher,
  MemoryAnswerCache,
  NoAnswerError,
  type EnricherDeps,
} from '../../../shared/enrich';
import { createLogger } from '../../../shared/logger';
import { alertFor } from '../../support/alerts';
import { ScriptedSource, type Step } from './source-script';

const START = Date.parse('2026-05-01T10:00:00Z');

function setup(steps: Step[], overrides: Partial<EnricherDeps> = {}) {
  const clock = fixedClock(START);
  const source = new ScriptedSource(steps);
  const enricher = createEnricher({
    source,
    cache: new MemoryAnswerCache(clock, 3600),
    playbookVersion: async () => 'v1',
    clock,
    logger: createLogger({ silent: true }),
    budgetMs: 500,
    breaker: { threshold: 3, coolDownMs: 60_000 },
    retry: { baseMs: 1, maxDelayMs: 5 },
    pollMs: 5,
    ...overrides,
  });
  return { clock, source, enricher };
}

const plugin = alertFor('playbook/CreatePlugin');
const failure = (): Error => new AnswerSourceError('HTTP 500');

describe('createEnricher', () => {
  test('answers with the source, its citations and the time', async () => {
    const { enricher } = setup([{ text: 'Delete the plugin.', citations: [{ title: 'Plugins', url: 'https://x/p' }] }]);

    const enrichment = await enricher.enrich(plugin);

    expect(enrichment).toMatchObject({
      status: 'answered',
      answer: 'Delete the plugin.',
      source: 'qbusiness',
      answeredAt: '2026-05-01T10:00:00.000Z',
      cached: false,
    });
    expect(enrichment.citations).toEqual([{ title: 'Plugins', url: 'https://x/p' }]);
  });

  test('serves the second alert of a rule from the cache without asking again', async () => {
    const { enricher, source } = setup([]);
    await enricher.enrich(plugin);

    const second = await enricher.enrich({ ...plugin, id: 'another' });

    expect(second.cached).toBe(true);
    expect(source.calls).toBe(1);
  });

  test('does not serve a cached answer of a rule to an alert of that rule whose credentials look stolen', async () => {
    const { enricher, source } = setup([]);
    await enricher.enrich(plugin);

    const root = await enricher.enrich({
      ...plugin,
      id: 'root',
      principal: { key: 'root', type: 'Root', accountId: '111122223333' },
    });

    expect(root.cached).toBe(false);
    expect(source.calls).toBe(2);
    expect(source.questions[1]?.credentialsLookStolen).toBe(true);
  });

  test('asks once for concurrent alerts of one rule', async () => {
    const { enricher, source } = setup([]);

    await Promise.all([enricher.enrich(plugin), enricher.enrich(plugin), enricher.enrich(plugin)]);

    expect(source.calls).toBe(1);
  });

  test('asks again after the playbook version changes', async () => {
    let version = 'v1';
    const { enricher, source } = setup([], { playbookVersion: async () => version });
    await enricher.enrich(plugin);
    version = 'v2';

    await enricher.enrich(plugin);

    expect(source.calls).toBe(2);
  });

  test('does not serve the cached answer of one source for another source', async () => {
    const clock = fixedClock(START);
    const cache = new MemoryAnswerCache(clock, 3600);
    const first = setup([{ text: 'From Q Business.', citations: [] }], { cache });
    await first.enricher.enrich(plugin);
    const local = Object.assign(new ScriptedSource([{ text: 'From the local playbooks.', citations: [] }]), {
      name: 'playbooks',
    });

    const enrichment = await setup([], { cache, source: local }).enricher.enrich(plugin);

    expect(enrichment).toMatchObject({ answer: 'From the local playbooks.', source: 'playbooks', cached: false });
  });

  test('trims a long answer to 1500 characters', async () => {
    const { enricher } = setup([{ text: 'Step. '.repeat(1000), citations: [] }]);

    const enrichment = await enricher.enrich(plugin);

    expect(enrichment.answer?.length).toBeLessThanOrEqual(1500);
  });

  test('reports disabled when there is no source', async () => {
    const { enricher } = setup([], { source: undefined });

    expect((await enricher.enrich(plugin)).status).toBe('disabled');
  });

  test('reports no answer in the playbooks and caches that outcome', async () => {
    const { enricher, source } = setup([new NoAnswerError('nothing')]);

    const first = await enricher.enrich(plugin);
    const second = await enricher.enrich(plugin);

    expect(first).toMatchObject({ status: 'no-answer', reason: 'no answer in the playbooks' });
    expect(second.status).toBe('no-answer');
    expect(source.calls).toBe(1);
  });

  test('retries throttling and then answers', async () => {
    const { enricher, source } = setup([new AnswerThrottledError('429'), new AnswerThrottledError('429')]);

    const enrichment = await enricher.enrich(plugin);

    expect(enrichment.status).toBe('answered');
    expect(source.calls).toBe(3);
  });

  test('reports throttled when every retry is throttled', async () => {
    const { enricher } = setup(Array.from({ length: 10 }, () => new AnswerThrottledError('429')));

    expect((await enricher.enrich(plugin)).status).toBe('throttled');
  });

  test('reports timeout when the source does not answer within the budget', async () => {
    const { enricher } = setup(['hang'], { budgetMs: 50 });

    expect(await enricher.enrich(plugin)).toMatchObject({ status: 'timeout', reason: 'no answer within 50 ms' });
  });

  test('reports error without throwing when the source fails', async () => {
    const { enricher } = setup([failure()]);

    expect(await enricher.enrich(plugin)).toMatchObject({
      status: 'error',
      reason: 'the answer source failed (AnswerSourceError)',
    });
  });

  test('reports error when the playbook version cannot be read', async () => {
    const { enricher } = setup([], { playbookVersion: () => Promise.reject(new Error('table gone')) });

    expect((await enricher.enrich(plugin)).status).toBe('error');
  });

  test('opens the circuit after three consecutive failures and skips the source', async () => {
    const { enricher, source } = setup([failure(), failure(), failure()]);
    for (let i = 0; i < 3; i += 1) await enricher.enrich(plugin);

    const skipped = await enricher.enrich(plugin);

    expect(skipped.status).toBe('circuit-open');
    expect(source.calls).toBe(3);
  });

  test('closes the circuit after the cool-down when the trial call succeeds', async () => {
    const { enricher, clock } = setup([failure(), failure(), failure()]);
    for (let i = 0; i < 3; i += 1) await enricher.enrich(plugin);
    clock.advance(60_001);

    const trial = await enricher.enrich(plugin);

    expect(trial.status).toBe('answered');
    expect(enricher.breaker.state).toBe('closed');
  });

  test('reopens the circuit when the trial call fails', async () => {
    const { enricher, clock } = setup([failure(), failure(), failure(), failure()]);
    for (let i = 0; i < 3; i += 1) await enricher.enrich(plugin);
    clock.advance(60_001);
    await enricher.enrich(plugin);

    expect((await enricher.enrich(plugin)).status).toBe('circuit-open');
  });

  test('still serves cached answers while the circuit is open', async () => {
    const { enricher } = setup([{ text: 'Cached advice.', citations: [] }, failure(), failure(), failure()]);
    await enricher.enrich(plugin);
    const other = alertFor('playbook/DeletePlugin', { phase: 'recovery' });
    for (let i = 0; i < 3; i += 1) await enricher.enrich(other);

    expect((await enricher.enrich(plugin)).status).toBe('answered');
  });
});
