import { applyRules } from '../../../shared/classify/overrides';
import { defaultPolicy } from '../../../shared/classify/policy';
import { eventIdReusedSubject } from '../../../shared/engine/fingerprint';
import type { Enrichment, PrincipalContext } from '../../../shared/alerts/model';
import type { StateStore } from '../../../shared/state';
import type { ActivitySink, ContextProvider, Enricher, SettledInput, TriageInput } from '../../../shared/triage';
import { MemoryStateStore } from '../../../shared/state';
import { messageLabel } from '../../../shared/alerts/render';
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const INTRUDER = 'arn:aws:sts::111122223333:assumed-role/LegacyCI/i-0abc';

describe('triage pipeline: aggregation and stateful rules', () => {
  test('a 25-event delete burst from one principal is at most 3 alerts, one of them the HIGH bulk-delete burst', async () => {
    const { triage, notifier } = testPipeline();
    const deletes = Array.from({ length: 25 }, (_, i) =>
      record({ eventName: 'BatchDeleteDocument', principal: INTRUDER, second: i * 7 }),
    );

    await triage.process(inputs(deletes));

    const newAlerts = notifier.messages.filter((message) => message.kind === 'new');
    expect(newAlerts.length).toBeGreaterThanOrEqual(1);
    expect(newAlerts.length).toBeLessThanOrEqual(3);
    const burst = newAlerts.find((message) => message.alert.rule === 'bulk-delete');
    expect(burst?.alert.severity).toBe('HIGH');
    expect(burst?.alert.paged).toBe(true);
  });

  test('19 deletes stay under the bulk-delete threshold: no burst alert', async () => {
    const { triage, notifier } = testPipeline();
    const deletes = Array.from({ length: 19 }, (_, i) =>
      record({ eventName: 'BatchDeleteDocument', principal: INTRUDER, second: i }),
    );

    await triage.process(inputs(deletes));

    expect(notifier.messages.map((message) => message.alert.rule)).not.toContain('bulk-delete');
  });

  test('deletes spread wider than the 5-minute window never reach the threshold', async () => {
    const { triage, notifier } = testPipeline();
    const deletes = Array.from({ length: 30 }, (_, i) =>
      record({ eventName: 'DeleteConversation', principal: INTRUDER, second: i * 20 }),
    );

    await triage.process(inputs(deletes));

    expect(notifier.messages.map((message) => message.alert.rule)).not.toContain('bulk-delete');
  });

  test('50 conversation reads in 5 minutes raise one bulk-read alert although each read is INFORMATIONAL', async () => {
    const { triage, notifier } = testPipeline();
    const reads = Array.from({ length: 60 }, (_, i) =>
      record({ eventName: i % 2 === 0 ? 'ListMessages' : 'ListConversations', principal: INTRUDER, second: i * 4 }),
    );

    const { outcomes } = await triage.process(inputs(reads));

    const rules = notifier.messages.map((message) => message.alert.rule);
    expect(rules).toEqual(['bulk-read']);
    // Every read of the window that reached the threshold is part of the burst, the ones before the 50th too.
    expect(outcomes.filter((outcome) => outcome.status === 'alerted')).toHaveLength(60);
    expect(notifier.messages[0]?.alert.count).toBe(60);
  });

  test('80 document downloads (GetDocumentContent) in 5 minutes raise a HIGH bulk-read alert', async () => {
    const { triage, notifier } = testPipeline();
    const downloads = Array.from({ length: 80 }, (_, i) =>
      record({ eventName: 'GetDocumentContent', principal: INTRUDER, second: i * 3 }),
    );

    await triage.process(inputs(downloads));

    const bulk = notifier.messages.filter((message) => message.alert.rule === 'bulk-read');
    expect(bulk.length).toBeGreaterThan(0);
    expect(bulk[0]?.alert.severity).toBe('HIGH');
  });

  test('10 authorization failures raise the auth-failures burst; each denied write alone is MEDIUM', async () => {
    const { triage, notifier } = testPipeline();
    const denied = Array.from({ length: 10 }, (_, i) =>
      record({ eventName: 'CreatePlugin', principal: INTRUDER, second: i, errorCode: 'AccessDenied' }),
    );

    await triage.process(inputs(denied));

    // One actor, one incident: headed by its worst subject, the burst.
    expect(notifier.messages.map(({ kind, alert }) => [kind, alert.rule, alert.severity, alert.eventNames])).toEqual([
      ['new', 'auth-failures', 'HIGH', { CreatePlugin: 10 }],
    ]);
    expect(notifier.pages).toHaveLength(1);
  });

  test('bursts are per principal: two principals with 15 deletes each raise no burst', async () => {
    const { triage, notifier } = testPipeline();
    const events = Array.from({ length: 30 }, (_, i) =>
      record({
        eventName: 'BatchDeleteDocument',
        principal: i % 2 === 0 ? INTRUDER : 'arn:aws:iam::111122223333:user/bob',
        second: i,
      }),
    );

    await triage.process(inputs(events));

    expect(notifier.messages.map((message) => message.alert.rule)).not.toContain('bulk-delete');
    expect(notifier.messages.filter((message) => message.kind === 'new')).toHaveLength(2);
  });

  test('a rules file threshold changes when the burst fires', async () => {
    const policy = applyRules(defaultPolicy(), { bursts: { 'bulk-delete': { threshold: 3 } } });
    const { triage, notifier } = testPipeline({ policy });

    await triage.process(
      inputs(Array.from({ length: 3 }, (_, i) => record({ eventName: 'DeleteUser', principal: INTRUDER, second: i }))),
    );

    expect(notifier.messages.map((message) => message.alert.rule)).toContain('bulk-delete');
  });
});

describe('triage pipeline: incidents and paging', () => {
  test('follow-up events of an open incident update it at most once per update interval, never as a second alert', async () => {
    const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * 60_000 });

    await triage.process(inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0 })]));
    await triage.process(inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 60 })]));
    const heldBack = notifier.messages.length;
    clock.advance(15 * 60_000);
    await triage.process(inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 120 })]));

    expect(heldBack).toBe(1);
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new', 'update']);
    const [first, update] = notifier.messages;
    expect(update?.alert.id).toBe(first?.alert.id);
    expect(update?.alert.count).toBe(3);
    expect(notifier.pages).toHaveLength(1);
  });

  test('an event after the aggregation window opens a new incident with a new id; the first one closes with one update', async () => {
    const { triage, notifier } = testPipeline();

    await triage.process(inputs([record({ eventName: 'DeleteIndex', principal: INTRUDER, second: 0 })]));
    await triage.process(inputs([record({ eventName: 'DeleteIndex', principal: INTRUDER, second: 301 })]));

    const [first, closing, next] = notifier.messages;
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new', 'update', 'new']);
    expect(closing?.alert).toMatchObject({ id: first?.alert.id, updates: 1, count: 1, closedAt: expect.any(String) });
    expect(next?.alert.id).not.toBe(first?.alert.id);
    expect(notifier.pages).toHaveLength(2);
  });

  test.each([
    ['in one batch', true],
    ['in two batches', false],
  ])(
    'a denied HIGH-severity write, then the same write succeeding (%s): one incident, and the rise to HIGH pages',
    async (_label, oneBatch) => {
      const { triage, notifier } = testPipeline();
      const denied = record({
        eventName: 'CreatePlugin',
        principal: INTRUDER,
        second: 0,
        errorCode: 'AccessDeniedException',
      });
      const allowed = record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 60 });

      if (oneBatch) await triage.process(inputs([denied, allowed]));
      else for (const event of [denied, allowed]) await triage.process(inputs([event]));

      const sent = notifier.messages.map(({ kind, alert }) => [kind, alert.severity, alert.paged, alert.count]);
      if (oneBatch) expect(sent).toEqual([['new', 'HIGH', true, 2]]);
      // The rise is not held back by the update interval: it is the page, as an update of the same incident.
      else
        expect(sent).toEqual([
          ['new', 'MEDIUM', false, 1],
          ['update', 'HIGH', true, 2],
        ]);
      expect(new Set(notifier.messages.map(({ alert }) => alert.id)).size).toBe(1);
      expect(notifier.pages.map(({ alert }) => alert.severity)).toEqual(['HIGH']);
    },
  );

  test('after the rise to HIGH, later calls of either kind update the paged incident and never page again', async () => {
    const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * 60_000 });
    const calls = [
      record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0, errorCode: 'AccessDeniedException' }),
      record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 60 }),
      record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 120, errorCode: 'AccessDeniedException' }),
      record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 180 }),
    ];

    for (const call of calls) {
      await triage.process(inputs([call]));
      clock.advance(60_000);
    }

    expect(notifier.messages.map(({ kind, alert }) => [kind, alert.severity, alert.count])).toEqual([
      ['new', 'MEDIUM', 1],
      ['update', 'HIGH', 2],
    ]);
    expect(notifier.pages).toHaveLength(1);
  });

  test('a later rise to CRITICAL pages once more, under its own id, once however often it is retried', async () => {
    const { triage, notifier, clock } = testPipeline({ updateIntervalMs: 15 * 60_000 });
    const root = 'arn:aws:iam::111122223333:root';
    const calls = [
      record({
        eventName: 'GetApplication',
        principal: root,
        identityType: 'Root',
        second: 0,
        errorCode: 'AccessDeniedException',
      }),
      record({ eventName: 'CreateIndex', principal: root, identityType: 'Root', second: 60 }),
      record({ eventName: 'DeleteIndex', principal: root, identityType: 'Root', second: 120 }),
    ];

    for (const call of calls) {
      clock.advance(60_000);
      await triage.process(inputs([call]));
    }
    const critical = calls[2] as Record<string, unknown>;
    await triage.process(inputs([critical]));

    expect(notifier.messages.map(({ kind, alert }) => [kind, alert.severity])).toEqual([
      ['new', 'MEDIUM'],
      ['update', 'HIGH'],
      ['update', 'CRITICAL'],
    ]);
    expect(notifier.pages.map(({ kind, alert }) => [kind, alert.severity])).toEqual([
      ['update', 'HIGH'],
      ['update', 'CRITICAL'],
    ]);
    expect(new Set(notifier.pages.map((page) => page.id)).size).toBe(2);
    expect(new Set(notifier.messages.map((message) => message.alert.id)).size).toBe(1);
    // Each page says from which severity and by which operation the incident escalated.
    expect(notifier.pages.map(({ kind, alert }) => messageLabel(alert, kind))).toEqual([
      ' (escalated from MEDIUM, update 1)',
      ' (escalated from HIGH, update 2)',
    ]);
    expect(
      notifier.pages.map(({ alert }) => [alert.escalation?.from, alert.escalation?.to, alert.escalation?.by]),
    ).toEqual([
      ['MEDIUM', 'HIGH', 'CreateIndex'],
      ['HIGH', 'CRITICAL', 'DeleteIndex'],
    ]);
  });

  test('a rise whose page failed says escalated when the retry pages it', async () => {
    const { triage, notifier } = testPipeline({ updateIntervalMs: 15 * 60_000 });
    await triage.process(
      inputs([
        record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0, errorCode: 'AccessDeniedException' }),
      ]),
    );
    const high = record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 60 });
    notifier.failNext = 1;

    await triage.process(inputs([high]));
    await triage.process(inputs([high]));

    expect(notifier.pages.map(({ kind, alert }) => messageLabel(alert, kind))).toEqual([
      ' (escalated from MEDIUM, update 1)',
    ]);
  });

  test('a rise whose page failed is paged by the retry, once', async () => {
    const { triage, notifier } = testPipeline({ updateIntervalMs: 15 * 60_000 });
    const low = record({
      eventName: 'CreatePlugin',
      principal: INTRUDER,
      second: 0,
      errorCode: 'AccessDeniedException',
    });
    const high = record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 60 });
    await triage.process(inputs([low]));
    notifier.failNext = 1;

    const failed = await triage.process(inputs([high]));
    const retried = await triage.process(inputs([high]));
    await triage.process(inputs([high]));

    expect(failed.outcomes[0]?.status).toBe('failed');
    expect(retried.outcomes[0]?.status).toBe('alerted');
    expect(notifier.pages.map(({ alert }) => alert.severity)).toEqual(['HIGH']);
    expect(notifier.messages.map(({ kind }) => kind)).toEqual(['new', 'update']);
  });

  test('only HIGH and CRITICAL alerts page, and at most the hourly cap plus one summary', async () => {
    const { triage, notifier, metrics } = testPipeline({ pagesPerHour: 2 });
    const events = [
      record({ eventName: 'CreateIndex', principal: 'arn:aws:iam::111122223333:user/u0', second: 0 }),
      ...Array.from({ length: 4 }, (_, i) =>
        record({ eventName: 'DeleteApplication', principal: `arn:aws:iam::111122223333:user/u${i + 1}`, second: i }),
      ),
    ];

    await triage.process(inputs(events));

    const paged = notifier.messages.filter((message) => message.alert.paged);
    expect(paged.map((message) => message.alert.rule).sort()).toEqual([
      'page-cap',
      'playbook/DeleteApplication',
      'playbook/DeleteApplication',
    ]);
    expect(metrics.get('PagesSuppressedByCap')).toBe(2);
    expect(notifier.messages.find((message) => message.alert.rule === 'playbook/CreateIndex')?.alert.paged).toBe(false);
  });

  test('deferred mode (replay) publishes every incident once, in its final state, on flush', async () => {
    const { triage, notifier } = testPipeline({ mode: 'deferred' });
    const events = Array.from({ length: 5 }, (_, i) =>
      record({ eventName: 'UpdatePlugin', principal: INTRUDER, second: i * 30 }),
    );

    await triage.process(inputs(events));
    expect(notifier.messages).toHaveLength(0);
    await triage.flush();

    expect(notifier.messages).toHaveLength(1);
    expect(notifier.messages[0]?.alert.count).toBe(5);
  });
});

describe('triage pipeline: enrichment, principal context and their metrics', () => {
  const ANSWER: Enrichment = {
    status: 'answered',
    answer: 'Disable the plugin, then review its configuration.',
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

  function asking(enrichment: Enrichment = ANSWER) {
    const asked = { enricher: [] as string[], context: [] as string[] };
    const enricher: Enricher = {
      enrich: async (alert) => {
        asked.enricher.push(alert.rule);
        return enrichment;
      },
    };
    const context: ContextProvider = {
      describe: async (alert) => {
        asked.context.push(alert.rule);
        return CONTEXT;
      },
    };
    return { asked, enricher, context };
  }

  test('each alert is enriched once and counted; context is asked for MEDIUM and above only', async () => {
    const { asked, enricher, context } = asking();
    const { triage, notifier, metrics } = testPipeline({ enricher, context });

    await triage.process(
      inputs([
        record({ eventName: 'StartDataSourceSyncJob', second: 0 }),
        record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 1 }),
      ]),
    );

    expect(asked.enricher.sort()).toEqual(['playbook/CreatePlugin', 'playbook/StartDataSourceSyncJob']);
    expect(asked.context).toEqual(['playbook/CreatePlugin']);
    const byRule = new Map(notifier.messages.map((message) => [message.alert.rule, message.alert]));
    expect(byRule.get('playbook/StartDataSourceSyncJob')).toMatchObject({
      severity: 'LOW',
      enrichment: ANSWER,
      paged: false,
    });
    expect(byRule.get('playbook/StartDataSourceSyncJob')?.context).toBeUndefined();
    expect(byRule.get('playbook/CreatePlugin')).toMatchObject({
      severity: 'HIGH',
      enrichment: ANSWER,
      context: CONTEXT,
      paged: true,
    });
    expect(metrics.get('EnrichmentAnswered')).toBe(2);
    expect(metrics.get('EnrichmentFailed')).toBe(0);
  });

  test('principal context without an enricher: MEDIUM alerts get it, LOW ones do not', async () => {
    const { asked, context } = asking();
    const { triage, notifier, metrics } = testPipeline({ context });

    await triage.process(
      inputs([
        record({ eventName: 'DeleteConversation', principal: INTRUDER, second: 0 }),
        record({ eventName: 'CreateIndex', principal: INTRUDER, second: 1 }),
      ]),
    );

    expect(asked.context).toEqual(['playbook/CreateIndex']);
    const byRule = new Map(notifier.messages.map((message) => [message.alert.rule, message.alert]));
    expect(byRule.get('playbook/CreateIndex')).toMatchObject({ severity: 'MEDIUM', context: CONTEXT, paged: false });
    expect(byRule.get('playbook/DeleteConversation')?.context).toBeUndefined();
    expect(metrics.get('EnrichmentAnswered') + metrics.get('EnrichmentFailed')).toBe(0);
  });

  test('an enrichment that is not an answer still goes out with the alert, counted as failed', async () => {
    const timeout: Enrichment = { status: 'timeout', reason: 'no answer within 5000 ms', citations: [] };
    const { enricher } = asking(timeout);
    const { triage, notifier, metrics } = testPipeline({ enricher });

    await triage.process(inputs([record({ eventName: 'DeleteConversation', principal: INTRUDER, second: 0 })]));

    expect(notifier.messages.find((message) => message.kind === 'enrichment')?.alert.enrichment).toEqual(timeout);
    expect(metrics.get('EnrichmentFailed')).toBe(1);
    expect(metrics.get('EnrichmentAnswered')).toBe(0);
  });

  /** Resolves once `ready()` holds, letting the pipeline's pending I/O run in between. */
  async function until(ready: () => boolean): Promise<void> {
    for (let turn = 0; turn < 1000 && !ready(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
    if (!ready()) throw new Error('condition never held');
  }

  test('page first: the page and the first message go out while the answer and context are still being fetched', async () => {
    let answer: (enrichment: Enrichment) => void = () => undefined;
    const pending = new Promise<Enrichment>((resolve) => {
      answer = resolve;
    });
    const enricher: Enricher = { enrich: () => pending };
    const context: ContextProvider = { describe: async () => CONTEXT };
    const { triage, notifier, metrics } = testPipeline({ enricher, context });

    const running = triage.process(inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0 })]));
    await until(() => notifier.pages.length === 1 && notifier.messages.length === 1);

    const [page] = notifier.pages;
    const [first] = notifier.messages;
    expect(page?.alert).toMatchObject({
      rule: 'playbook/CreatePlugin',
      severity: 'HIGH',
      paged: true,
      enrichmentFollows: true,
    });
    expect(page?.alert.enrichment).toBeUndefined();
    expect(first).toMatchObject({ kind: 'new', alert: { enrichmentFollows: true } });
    expect(first?.alert.context).toBeUndefined();

    answer(ANSWER);
    const { outcomes } = await running;

    const followUp = notifier.messages[1];
    expect(followUp).toMatchObject({
      kind: 'enrichment',
      alert: { id: first?.alert.id, enrichment: ANSWER, context: CONTEXT, paged: true },
    });
    expect(followUp?.alert.enrichmentFollows).toBeUndefined();
    expect(followUp?.id).not.toBe(first?.id);
    expect(notifier.pages).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'alerted' });
    expect(metrics.get('EnrichmentUpdatesPublished')).toBe(1);
  });

  test('a failed enrichment costs only its follow-up: the page stands and the record is done, not retried', async () => {
    const enricher: Enricher = { enrich: () => Promise.reject(new Error('answer source unreachable')) };
    const { triage, notifier, metrics } = testPipeline({ enricher });

    const { outcomes } = await triage.process(
      inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0 })]),
    );

    expect(notifier.pages).toHaveLength(1);
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new']);
    expect(outcomes[0]).toMatchObject({ status: 'alerted' });
    expect(metrics.get('EnrichmentUpdateFailures')).toBe(1);
    expect(metrics.get('RecordsRetried')).toBe(0);
  });

  test('the answer stays on the incident: a later update carries it without asking again', async () => {
    let asked = 0;
    const enricher: Enricher = {
      enrich: async () => {
        asked += 1;
        return ANSWER;
      },
    };
    const { triage, notifier } = testPipeline({ enricher, updateIntervalMs: 0 });

    await triage.process(inputs([record({ eventName: 'CreatePlugin', principal: INTRUDER, second: 0 })]));
    await triage.process(inputs([record({ eventName: 'UpdatePlugin', principal: INTRUDER, second: 30 })]));

    const update = notifier.messages.find((message) => message.kind === 'update');
    expect(update?.alert.enrichment).toEqual(ANSWER);
    expect(asked).toBe(1);
  });

  test('without an enricher or a context provider, alerts go out as built, unpaged below HIGH', async () => {
    const { triage, notifier, metrics } = testPipeline({ mode: 'deferred' });

    await triage.process(inputs([record({ eventName: 'CreateIndex', principal: INTRUDER, second: 0 })]));
    const [alert] = await triage.flush();

    expect(alert).toMatchObject({ rule: 'playbook/CreateIndex', severity: 'MEDIUM', paged: false });
    expect(alert?.enrichment).toBeUndefined();
    expect(alert?.context).toBeUndefined();
    expect(notifier.messages.map((message) => message.alert)).toEqual([alert]);
    expect(metrics.get('EnrichmentAnswered') + metrics.get('EnrichmentFailed')).toBe(0);
  });
});

describe('triage pipeline: nothing lost, nothing twice, no feedback loop', () => {
  test('every input ends as classified, alerted, rejected with a reason or passed over as another service', async () => {
    const { triage } = testPipeline();
    const good = record({ eventName: 'GetIndex' });
    const batch = [
      { id: 'ok', value: good },
      { id: 'alert', value: record({ eventName: 'CreatePlugin' }) },
      { id: 'unparsable', error: 'malformed JSON: Unexpected token at position 3' },
      { id: 'missing', value: { ...record({ eventName: 'GetIndex' }), eventID: undefined } },
      { id: 's3', value: record({ eventName: 'PutObject', eventSource: 's3.amazonaws.com' }) },
    ];

    const { outcomes } = await triage.process(batch);

    expect(outcomes.map((outcome) => [outcome.id, outcome.status])).toEqual([
      ['ok', 'classified'],
      ['alert', 'alerted'],
      ['unparsable', 'rejected'],
      ['missing', 'rejected'],
      ['s3', 'passed-over'],
    ]);
    expect(outcomes[3]).toMatchObject({ reason: 'missing required field eventID' });
  });

  test('an event dated more than 15 minutes ahead of the clock is rejected with a reason; the batch goes on', async () => {
    const { triage, notifier, metrics } = testPipeline();
    const batch = [
      {
        id: 'ahead',
        value: record({
          eventName: 'CreatePlugin',
          principal: INTRUDER,
          second: 15 * 60 + 1,
          eventId: 'from-the-future',
        }),
      },
      {
        id: 'years-ahead',
        value: { ...record({ eventName: 'DeleteIndex', principal: INTRUDER }), eventTime: '2031-01-01T00:00:00Z' },
      },
      { id: 'at-the-limit', value: record({ eventName: 'CreatePlugin', second: 15 * 60 }) },
      { id: 'past', value: record({ eventName: 'DeleteIndex', second: -86_400 }) },
    ];

    const { outcomes } = await triage.process(batch);

    expect(outcomes.map((outcome) => [outcome.id, outcome.status])).toEqual([
      ['ahead', 'rejected'],
      ['years-ahead', 'rejected'],
      ['at-the-limit', 'alerted'],
      ['past', 'alerted'],
    ]);
    expect(outcomes[0]).toMatchObject({
      eventId: 'from-the-future',
      reason:
        'eventTime 2026-11-20T14:15:01.000Z is more than 15 minutes ahead of the clock: CloudTrail records a call after it happens',
    });
    expect(outcomes[1]).toMatchObject({
      reason: expect.stringMatching(/^eventTime 2031-01-01T00:00:00.000Z is more than 15 minutes ahead/),
    });
    expect(notifier.messages.map(({ alert }) => alert.eventIds)).toEqual(
      expect.not.arrayContaining([['from-the-future']]),
    );
    expect(metrics.get('EventsRejected')).toBe(2);
  });

  test('forged operation names that are Object.prototype members count like any other name', async () => {
    const { triage } = testPipeline({ mode: 'deferred' });
    // Every failure of the window that reached the threshold is in the burst incident.
    const names = [
      ...Array<string>(9).fill('ListIndices'),
      'ListIndices',
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
      'constructor',
    ];
    const denied = names.map((eventName, i) =>
      record({ eventName, principal: INTRUDER, second: i, errorCode: 'AccessDeniedException' }),
    );

    await triage.process(inputs(denied));
    const burst = (await triage.flush()).find((alert) => alert.rule === 'auth-failures');

    expect(burst?.eventNames).toEqual({
      ListIndices: 10,
      constructor: 2,
      toString: 1,
      ['__proto__']: 1,
      hasOwnProperty: 1,
    });
    expect(Object.values(burst?.eventNames ?? {}).every((count) => typeof count === 'number')).toBe(true);
  });

  test('an unknown Q operation alerts LOW as unclassified instead of vanishing', async () => {
    const { triage, notifier } = testPipeline();

    await triage.process(inputs([record({ eventName: 'CreateAgentWorkflow' })]));

    expect(notifier.messages[0]?.alert).toMatchObject({
      severity: 'LOW',
      category: 'unclassified',
      rule: 'unclassified/CreateAgentWorkflow',
    });
  });

  test("the backend's own calls never alert and never count toward a burst", async () => {
    const { triage, notifier, metrics } = testPipeline();
    const own = Array.from({ length: 30 }, (_, i) =>
      record({
        eventName: i % 2 ? 'ChatSync' : 'DeleteConversation',
        principal: 'arn:aws:sts::111122223333:assumed-role/q-triage-prod-triage/q-triage-prod-triage',
        second: i,
      }),
    );

    const { outcomes } = await triage.process(inputs(own));

    expect(notifier.messages).toHaveLength(0);
    expect(outcomes.every((outcome) => outcome.status === 'classified')).toBe(true);
    expect(metrics.get('SelfEventsIgnored')).toBe(30);
  });

  test('the same event delivered five times (across and within batches) makes one alert', async () => {
    const { triage, notifier, metrics } = testPipeline();
    const event = record({ eventName: 'DeletePlugin', eventId: 'same-event' });

    await triage.process(inputs([event, event]));
    for (let i = 0; i < 3; i += 1) await triage.process(inputs([event]));

    expect(notifier.messages).toHaveLength(1);
    expect(metrics.get('DuplicatesSuppressed')).toBe(4);
  });

  test('when publishing fails the records come back as failed, and the retry publishes the alert once', async () => {
    const store = new MemoryStateStore();
    const { triage, notifier } = testPipeline({ store });
    notifier.failNext = 1;
    const event = record({ eventName: 'CreateDataAccessor', eventId: 'retry-me' });

    const first = await triage.process(inputs([event]));
    const retry = await triage.process(inputs([event]));

    expect(first.outcomes[0]?.status).toBe('failed');
    expect(retry.outcomes[0]?.status).toBe('alerted');
    expect(notifier.messages.map((message) => message.kind)).toEqual(['new']);
  });

  test('near the deadline nothing is published and the records are returned for retry, not marked done', async () => {
    const store = new MemoryStateStore();
    const { triage, notifier } = testPipeline({ store, reserveMs: 5000 });

    const { outcomes } = await triage.process(inputs([record({ eventName: 'DeleteRetriever', eventId: 'late' })]), {
      remainingMs: () => 100,
    });

    expect(outcomes[0]?.status).toBe('failed');
    expect(notifier.messages).toHaveLength(0);
    expect(await store.processed(['late'])).toEqual(new Map());
  });

  test('a state store failure fails only the records of that incident', async () => {
    const store: StateStore = new MemoryStateStore();
    const original = store.getIncident.bind(store);
    store.getIncident = async (key) => {
      if (!key.includes('LegacyCI')) throw new Error('ProvisionedThroughputExceededException');
      return original(key);
    };
    const { triage } = testPipeline({ store });

    const { outcomes } = await triage.process(
      inputs([record({ eventName: 'DeleteWebExperience' }), record({ eventName: 'CreateIndex', principal: INTRUDER })]),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'alerted']);
  });
});

describe('triage run (replay): batch by batch, the outcomes and alerts of one big batch', () => {
  // A mix that touches every path: bursts across batches, incidents, self calls, duplicates across
  // batches, rejections, and a later batch holding events older than an earlier one's.
  function mixedInputs() {
    const reads = Array.from({ length: 60 }, (_, i) =>
      record({ eventName: i % 2 ? 'ListMessages' : 'GetConversation', principal: INTRUDER, second: 600 - i * 4 }),
    );
    const deletes = Array.from({ length: 22 }, (_, i) =>
      record({ eventName: 'BatchDeleteDocument', principal: INTRUDER, second: i * 9 }),
    );
    const denied = Array.from({ length: 11 }, (_, i) =>
      record({ eventName: 'GetIndex', second: 30 + i, errorCode: 'AccessDeniedException' }),
    );
    const own = Array.from({ length: 5 }, (_, i) =>
      record({
        eventName: 'ChatSync',
        principal: 'arn:aws:sts::111122223333:assumed-role/q-triage-prod-triage/q-triage-prod-triage',
        second: i,
      }),
    );
    const quiet = Array.from({ length: 20 }, (_, i) =>
      record({ eventName: i % 2 ? 'GetApplication' : 'ChatSync', second: i * 17 }),
    );
    const repeated = record({ eventName: 'CreatePlugin', eventId: 'delivered-twice', second: 42 });
    const all = [
      ...reads,
      ...deletes,
      ...denied,
      ...own,
      ...quiet,
      repeated,
      repeated,
      record({ eventName: 'CreateAgentWorkflow', second: 5 }),
    ];
    // A fixed shuffle (37 is prime to the length): time order and batch order disagree.
    const mixed = all.map((_, i) => ({
      id: `input#${i}`,
      value: all[(i * 37) % all.length] as Record<string, unknown>,
    }));
    return [...mixed, { id: 'bad', error: 'malformed JSON: Unexpected end of JSON input at position 9' }];
  }

  test.each([1, 7, 40, 1000])('in batches of %i', async (size) => {
    const whole = testPipeline({ mode: 'deferred' });
    const split = testPipeline({ mode: 'deferred' });
    const all = mixedInputs();

    const expected = (await whole.triage.process(all)).outcomes;
    const run = split.triage.open();
    const outcomes: unknown[] = [];
    const settle = ({ position, outcome }: SettledInput): void => {
      expect(outcomes[position]).toBeUndefined();
      outcomes[position] = outcome;
    };
    for (let start = 0; start < all.length; start += size)
      (await run.add(all.slice(start, start + size))).forEach(settle);
    (await run.finish()).forEach(settle);

    expect(outcomes).toEqual(expected);
    expect(await split.triage.flush()).toEqual(await whole.triage.flush());
    expect(split.metrics.counts).toEqual(whole.metrics.counts);
  });

  test('holds only the events a stateful rule or an incident can use', async () => {
    const { triage } = testPipeline({ mode: 'deferred' });
    const run = triage.open();

    const settled = await run.add(
      inputs([
        record({ eventName: 'GetApplication' }),
        record({ eventName: 'ListMessages' }),
        record({ eventName: 'DeleteIndex' }),
        record({ eventName: 'GetIndex', errorCode: 'AccessDenied' }),
      ]),
    );

    expect(settled.map(({ position, outcome }) => [position, outcome.status])).toEqual([[0, 'classified']]);
    expect((await run.finish()).map(({ position, outcome }) => [position, outcome.status])).toEqual([
      [1, 'classified'],
      [2, 'alerted'],
      [3, 'alerted'],
    ]);
  });

  describe('with a reorder window (replay in bounded memory)', () => {
    const eventTime = (input: TriageInput): number =>
      'value' in input ? Date.parse(String((input.value as { eventTime?: string }).eventTime)) : 0;

    /** The mixed inputs in event-time order, as CloudTrail's files come when read in key order. */
    function timeOrderedInputs() {
      return [...mixedInputs()].sort((a, b) => eventTime(a) - eventTime(b));
    }

    test.each([1, 7, 40])(
      'time-ordered batches of %i: the outcomes, alerts and metrics of one process call',
      async (size) => {
        const whole = testPipeline({ mode: 'deferred' });
        const windowed = testPipeline({ mode: 'deferred' });
        const all = timeOrderedInputs();

        const expected = (await whole.triage.process(all)).outcomes;
        const run = windowed.triage.open({ reorderWindowMs: 20_000 });
        const outcomes: unknown[] = [];
        const alerts = [];
        for (let start = 0; start < all.length; start += size) {
          for (const { position, outcome } of await run.add(all.slice(start, start + size)))
            outcomes[position] = outcome;
          alerts.push(...(await windowed.triage.flush(run.settledThrough())));
        }
        for (const { position, outcome } of await run.finish()) outcomes[position] = outcome;
        alerts.push(...(await windowed.triage.flush()));

        expect(outcomes).toEqual(expected);
        expect(alerts).toEqual(await whole.triage.flush());
        expect(windowed.notifier.messages).toEqual(whole.notifier.messages);
        expect(windowed.metrics.counts).toEqual(whole.metrics.counts);
        expect(run.late()).toBe(0);
      },
    );

    test('settles held events once the window has passed them, and publishes the incidents no later event can join', async () => {
      const { triage, notifier } = testPipeline({ mode: 'deferred' });
      const run = triage.open({ reorderWindowMs: 60_000 });

      const first = await run.add(inputs([record({ eventName: 'DeleteIndex', second: 0 })]));
      const later = await run.add(inputs([record({ eventName: 'GetApplication', second: 10 * 60 })]));

      expect(first).toEqual([]);
      expect(later.map(({ position, outcome }) => [position, outcome.status])).toEqual([
        [1, 'classified'],
        [0, 'alerted'],
      ]);
      expect((await triage.flush(run.settledThrough())).map((alert) => alert.rule)).toEqual([
        expect.stringContaining('DeleteIndex'),
      ]);
      expect(notifier.messages.map((message) => message.kind)).toEqual(['new']);
    });

    test('an event later than the window is triaged and counted late; its published incident gets an update, never a second page', async () => {
      const { triage, notifier } = testPipeline({
        mode: 'deferred',
        store: new MemoryStateStore({ rememberProcessed: false }),
      });
      // A horizon the late event is within: its incident is still remembered, though no longer open.
      const run = triage.open({ reorderWindowMs: 60_000, horizonMs: 60 * 60_000 });
      await run.add(inputs([record({ eventName: 'DeleteIndex', second: 0, eventId: 'first-delete' })]));
      await run.add(inputs([record({ eventName: 'GetApplication', second: 10 * 60 })]));
      await triage.flush(run.settledThrough());

      const late = await run.add(inputs([record({ eventName: 'DeleteIndex', second: 60, eventId: 'late-delete' })]));
      await run.finish();
      await triage.flush();

      expect(late.map(({ outcome }) => outcome.status)).toEqual(['alerted']);
      expect(run.late()).toBe(1);
      // The update carries the incident's page flag, as the Lambda's updates do; it goes to the alerts topic only.
      expect(
        notifier.messages.map((message) => [
          message.kind,
          message.alert.paged,
          message.alert.count,
          message.alert.updates,
        ]),
      ).toEqual([
        ['new', true, 1, 0],
        ['update', true, 2, 1],
      ]);
      expect(notifier.pages.map((message) => message.kind)).toEqual(['new']);
    });

    test('two late events joining one published incident send updates 1 and 2 (each its own message id)', async () => {
      const { triage, notifier } = testPipeline({
        mode: 'deferred',
        store: new MemoryStateStore({ rememberProcessed: false }),
      });
      const run = triage.open({ reorderWindowMs: 60_000, horizonMs: 60 * 60_000 });
      await run.add(inputs([record({ eventName: 'DeleteIndex', second: 0, eventId: 'first-delete' })]));
      await run.add(inputs([record({ eventName: 'GetApplication', second: 10 * 60 })]));
      await triage.flush(run.settledThrough());
      await run.add(inputs([record({ eventName: 'DeleteIndex', second: 60, eventId: 'late-1' })]));
      await triage.flush(run.settledThrough());
      await run.add(inputs([record({ eventName: 'DeleteIndex', second: 90, eventId: 'late-2' })]));
      await run.finish();
      await triage.flush();

      expect(run.late()).toBe(2);
      expect(notifier.messages.map((message) => [message.kind, message.alert.updates, message.alert.count])).toEqual([
        ['new', 0, 1],
        ['update', 1, 2],
        ['update', 2, 3],
      ]);
      expect(new Set(notifier.messages.map((message) => message.id)).size).toBe(3);
      expect(notifier.pages).toHaveLength(1);
    });

    test('finds duplicates within the horizon; a copy from beyond it is triaged again', async () => {
      // As replay wires it: the run, not the store, remembers event ids.
      const { triage } = testPipeline({ mode: 'deferred', store: new MemoryStateStore({ rememberProcessed: false }) });
      const run = triage.open({ reorderWindowMs: 60_000, horizonMs: 5 * 60_000 });
      const copied = record({ eventName: 'ListApplications', eventId: 'copied', second: 0 });
      await run.add(inputs([copied]));
      await run.add(inputs([record({ eventName: 'ListApplications', second: 3 * 60 })]));

      const near = await run.add(inputs([copied]));
      await run.add(inputs([record({ eventName: 'ListApplications', second: 10 * 60 })]));
      const far = await run.add(inputs([copied]));

      expect(near.map(({ outcome }) => outcome.status)).toEqual(['duplicate']);
      expect(far.map(({ outcome }) => outcome.status)).toEqual(['classified']);
      expect(run.late()).toBe(0);
    });
  });
});

describe('triage pipeline: identity through retries and reused eventIDs', () => {
  test('two incidents of one principal and rule in one batch, the first failing: the retry sends it as its own alert', async () => {
    const { triage, notifier } = testPipeline();
    const first = record({ eventName: 'DeleteIndex', second: 0 });
    const second = record({ eventName: 'DeleteIndex', second: 900 });
    notifier.failNext = 1;

    const failed = await triage.process(inputs([first, second]));
    const retried = await triage.process(inputs([first]));

    expect(failed.outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'alerted']);
    expect(retried.outcomes.map((outcome) => outcome.status)).toEqual(['alerted']);
    expect(
      notifier.messages
        .filter((message) => message.kind === 'new')
        .map((message) => message.alert.firstSeen)
        .sort(),
    ).toEqual(['2026-11-20T14:00:00.000Z', '2026-11-20T14:15:00.000Z']);
    expect(notifier.messages.filter((message) => message.kind === 'update')).toEqual([]);
  });

  test('a routine record (no rule, burst or incident can use it) gets no marker: a copy is triaged again, and an alerting record reusing its id is not reported', async () => {
    const { triage, notifier, deps } = testPipeline();
    const routine = record({ eventName: 'GetApplication', principal: INTRUDER, eventId: 'reused-routine' });
    const real = record({ eventName: 'DeleteIndex', eventId: 'reused-routine' });

    await triage.process(inputs([routine]));
    const again = await triage.process(inputs([routine]));
    const { outcomes } = await triage.process(inputs([real]));

    expect(again.outcomes[0]?.status).toBe('classified');
    expect((await deps.store.processed(['reused-routine'])).size).toBe(1);
    expect(outcomes[0]?.status).toBe('alerted');
    expect(notifier.messages[0]?.alert.reasons).not.toContain(eventIdReusedSubject().reasons[0]);
  });

  test('routine events are not looked up, marked or logged one by one: they are rolled up; what can alert or count is', async () => {
    const calls = { appended: [] as string[], rolledUp: [] as string[], flushedFor: [] as string[] };
    const activity: ActivitySink = {
      append: async (events) => {
        calls.appended.push(...events.map((event) => event.eventName));
      },
      rollUp: (events) => {
        calls.rolledUp.push(...events.map((event) => event.eventName));
      },
      flushRollUps: async (scope) => {
        if (scope !== 'due') calls.flushedFor.push(...scope.principalKeys);
      },
    };
    const store = new MemoryStateStore();
    const looked: string[] = [];
    const lookup = store.processed.bind(store);
    store.processed = async (ids) => {
      looked.push(...ids);
      return lookup(ids);
    };
    const context: ContextProvider = {
      describe: async () => ({ windowHours: 24, complete: true, answers: [], sourceIps: [], userAgents: [] }),
    };
    const { triage, notifier } = testPipeline({ activity, store, context });

    await triage.process(
      inputs([
        record({ eventName: 'ChatSync', eventId: 'chat-1', second: 0 }),
        record({ eventName: 'GetApplication', eventId: 'read-denied', errorCode: 'AccessDeniedException', second: 1 }),
        record({ eventName: 'CreatePlugin', principal: INTRUDER, eventId: 'plugin', second: 2 }),
      ]),
    );

    expect(calls.rolledUp).toEqual(['ChatSync']);
    expect(calls.appended.sort()).toEqual(['CreatePlugin', 'GetApplication']);
    expect(looked.sort()).toEqual(['plugin', 'read-denied']);
    expect([...(await lookup(['chat-1', 'read-denied', 'plugin'])).keys()].sort()).toEqual(['plugin', 'read-denied']);
    // The CreatePlugin alert's context is read after this container's roll-ups of its principal are written.
    const alerted = notifier.messages.find((message) => message.alert.rule === 'playbook/CreatePlugin')?.alert.principal
      .key;
    expect(alerted).toBeDefined();
    expect(calls.flushedFor).toEqual([alerted]);
  });

  test('a redelivered record is a duplicate; the same eventID with other content is triaged and reported', async () => {
    const { triage, notifier } = testPipeline();
    // Denied: counted by the auth-failures burst, so it is marked (a routine record is not: see the test above).
    const forged = record({
      eventName: 'GetApplication',
      principal: INTRUDER,
      eventId: 'reused',
      errorCode: 'AccessDeniedException',
    });
    const real = record({ eventName: 'DeleteIndex', eventId: 'reused' });

    await triage.process(inputs([forged]));
    const again = await triage.process(inputs([forged]));
    const { outcomes } = await triage.process(inputs([real]));

    expect(again.outcomes[0]?.status).toBe('duplicate');
    expect(outcomes[0]?.status).toBe('alerted');
    // The denied call alerts for its own principal; the real one's incident, headed by the worst subject
    // (DeleteIndex), keeps the reuse as a reason and both records.
    expect(notifier.messages.map((message) => message.alert.rule)).toEqual([
      'playbook/GetApplication',
      'playbook/DeleteIndex',
    ]);
    const reuse = notifier.messages[1]?.alert;
    expect(reuse?.reasons).toContain(eventIdReusedSubject().reasons[0]);
    expect(reuse?.samples.map((sample) => sample.eventName)).toEqual(['GetApplication', 'DeleteIndex']);
  });

  test('replay reports a reused eventID the same way, across files', async () => {
    const { triage } = testPipeline({ mode: 'deferred' });
    const run = triage.open();

    const settled = [
      ...(await run.add(inputs([record({ eventName: 'GetApplication', principal: INTRUDER, eventId: 'reused' })]))),
      ...(await run.add(inputs([record({ eventName: 'DeleteIndex', eventId: 'reused' })]))),
      ...(await run.finish()),
    ];
    const alerts = await triage.flush();

    // The second file's record (position 1) is held until the run finishes: found among the settled inputs.
    const later = settled.find(({ position }) => position === 1)?.outcome;
    expect(later).toBeDefined();
    expect(later?.status).not.toBe('duplicate');
    expect(alerts.map((alert) => alert.rule)).toEqual(['playbook/DeleteIndex']);
    expect(alerts[0]?.reasons).toContain(eventIdReusedSubject().reasons[0]);
  });

  test('replay keeps the first record of an id that can alert: the reuse alert shows both records', async () => {
    const { triage } = testPipeline({ mode: 'deferred', store: new MemoryStateStore({ rememberProcessed: false }) });
    const run = triage.open({ reorderWindowMs: 60_000, horizonMs: 60 * 60_000 });

    await run.add(inputs([record({ eventName: 'DeleteIndex', eventId: 'reused' })]));
    await run.add(inputs([record({ eventName: 'DeleteIndex', principal: INTRUDER, eventId: 'reused', second: 30 })]));
    await run.finish();
    const reuse = (await triage.flush()).find((alert) => alert.principal.arn === INTRUDER);

    expect(reuse?.reasons).toContain(eventIdReusedSubject().reasons[0]);
    expect(reuse?.samples.map((sample) => sample.eventId)).toEqual(['reused', 'reused']);
  });

  test('replay keeps only the digest of an informational first record: the reuse is still alerted, with the later record and a note', async () => {
    const { triage } = testPipeline({ mode: 'deferred', store: new MemoryStateStore({ rememberProcessed: false }) });
    const run = triage.open({ reorderWindowMs: 60_000, horizonMs: 60 * 60_000 });

    await run.add(inputs([record({ eventName: 'GetApplication', eventId: 'reused' })]));
    const later = await run.add(
      inputs([record({ eventName: 'GetApplication', principal: INTRUDER, eventId: 'reused', second: 30 })]),
    );
    const settled = [...later, ...(await run.finish())];
    const alerts = await triage.flush();

    expect(settled.map(({ outcome }) => outcome.status)).toEqual(['alerted']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.rule).toBe(eventIdReusedSubject().rule);
    expect(alerts[0]?.samples.map((sample) => sample.eventName)).toEqual(['GetApplication']);
    expect(alerts[0]?.description).toBe(eventIdReusedSubject(false).description);
  });

  test('each message carries a stable id: a retried alert is sent with the id of its failed attempt', async () => {
    const { triage, notifier } = testPipeline();
    const event = record({ eventName: 'DeleteIndex', eventId: 'retry-id' });
    notifier.failNext = 1;

    await triage.process(inputs([event]));
    await triage.process(inputs([event]));

    expect(notifier.messages).toHaveLength(1);
    expect(notifier.pages).toHaveLength(1);
    expect(notifier.messages[0]?.id).not.toBe(notifier.pages[0]?.id);
  });
});
