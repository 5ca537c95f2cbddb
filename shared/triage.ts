/**
 * The triage pipeline, the same for the Lambda and for `q-triage replay`:
 * validate → de-duplicate → classify → stateful rules → aggregate into incidents → enrich → publish.
 * Everything that touches the outside world is injected. Incident persistence (engine/incidents.ts),
 * sending each message once and the page cap (engine/delivery.ts) and content de-duplication
 * (engine/fingerprint.ts) are stages of their own; this module admits, counts bursts and runs them.
 */
import type { Alert, Enrichment, EventSample, PrincipalContext } from './alerts/model';
import { incidentKey, sampleOf, subjectOfBurst, subjectOfEvent, type LocalizedSubject } from './alerts/builder';
import { createClassifier, type Classification } from './classify/classify';
import type { BurstRule, Policy } from './classify/policy';
import type { SelfMatcher } from './classify/self';
import type { Clock } from './clock';
import { mapLimit } from './concurrency';
import { isPassedOver, normalizeEvent, type NormalizeResult, type TriageEvent } from './events';
import type { Logger } from './logger';
import type { MetricsSink } from './metrics';
import { createDelivery, messageIdOf, pageIdOf, type DeliveryResult, type PageDecision } from './engine/delivery';
import { contentDigest, eventIdReusedSubject } from './engine/fingerprint';
import { createIncidents, type Generation, type Work } from './engine/incidents';
import { createSweep, type Sweep } from './engine/sweep';
import type { Notifier, OutgoingMessage } from './notify/types';
import { isPagingSeverity, severityRank } from './playbook/types';
import { ANY_DIGEST, type EventFingerprint, type StateStore } from './state/store';

/**
 * One input: a parsed value, or the reason it was refused before it got here (malformed JSON, bad gzip,
 * an SQS message without a body…).
 */
export type TriageInput =
  | {
      /** Where the input came from: an SQS message id, or FILE:LINE in replay. */
      readonly id: string;
      readonly value: unknown;
      readonly bytes?: number;
    }
  | { readonly id: string; readonly error: string };

export type InputOutcome =
  | { readonly id: string; readonly status: 'rejected'; readonly reason: string; readonly eventId?: string }
  /** Another service's record: a real trail is mostly these. Counted, never listed, never a failure. */
  | { readonly id: string; readonly status: 'passed-over' }
  | { readonly id: string; readonly status: 'duplicate'; readonly event: TriageEvent }
  | {
      readonly id: string;
      readonly status: 'classified' | 'alerted';
      readonly event: TriageEvent;
      readonly classification: Classification;
      readonly alertIds: readonly string[];
    }
  | { readonly id: string; readonly status: 'failed'; readonly reason: string; readonly event: TriageEvent };

export interface BatchResult {
  readonly outcomes: readonly InputOutcome[];
  /** Messages published for this batch (empty in deferred mode until `flush`). */
  readonly published: readonly { readonly alert: Alert; readonly kind: 'new' | 'update' }[];
}

export type { Notifier } from './notify/types';
export interface Enricher {
  enrich(alert: Alert): Promise<Enrichment>;
}
export interface ContextProvider {
  describe(alert: Alert): Promise<PrincipalContext>;
}
export interface ActivitySink {
  append(events: readonly TriageEvent[]): Promise<void>;
}

export interface TriageDeps {
  readonly policy: Policy;
  readonly self: SelfMatcher;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  readonly activity?: ActivitySink;
  /** HIGH and CRITICAL pages allowed per hour; beyond it alerts still go out, unpaged, and one summary pages. */
  readonly pagesPerHour?: number;
  /** At most one update message per incident per this many milliseconds; a page or the incident's close is not held back. Default 15 minutes. */
  readonly updateIntervalMs?: number;
  /**
   * `immediate` (Lambda): publish what each batch touched at its end.
   * `deferred` (replay): publish every incident once, in its final state, on `flush()`.
   */
  readonly mode?: 'immediate' | 'deferred';
  /** Publishing stops when fewer than this many milliseconds remain before the caller's deadline. */
  readonly reserveMs?: number;
  readonly publishConcurrency?: number;
  /** Alert texts in the alert locale, loaded once before the first batch (see shared/playbook/localized-table.ts). */
  readonly localizedText?: () => Promise<(operation: string) => LocalizedSubject | undefined>;
}

export interface ProcessOptions {
  /** Milliseconds left before this call's deadline (the Lambda invocation's); without it, no deadline. */
  readonly remainingMs?: () => number;
}

export interface Triage {
  /** One batch (the Lambda's): every input to its outcome. */
  process(inputs: readonly TriageInput[], options?: ProcessOptions): Promise<BatchResult>;
  /** A run over more input than one batch should hold (replay): see TriageRun. */
  open(options?: TriageRunOptions): TriageRun;
  /**
   * Deferred mode: publish the incidents no event at or after `settledThrough` (event time) can change, in
   * first-seen order, or every incident when it is not given. Immediate mode: nothing to do.
   */
  flush(settledThrough?: number): Promise<readonly Alert[]>;
  /** Immediate mode, on a schedule: the closing and held-back updates no event brings (engine/sweep.ts). */
  sweep: Sweep;
}

export interface TriageRunOptions {
  /**
   * How far (event time) an event may come behind a newer one that was already read: CloudTrail log files
   * overlap. Held events older than the newest event read minus this are settled. Default: hold every one
   * until `finish` (exact, but memory grows with the input).
   */
  readonly reorderWindowMs?: number;
  /**
   * How far (event time) behind the settled events the run remembers event ids (to find duplicates) and
   * incidents (that a late event can still join). A copy of an event from further back is triaged again, and a
   * late event from further back opens an incident of its own. Default: everything, for the whole run.
   */
  readonly horizonMs?: number;
}

/** An input's outcome and its position (input i of the n-th batch is the sum of earlier batch sizes + i). */
export interface SettledInput {
  readonly position: number;
  readonly outcome: InputOutcome;
}

/**
 * Replay's way through the engine: the inputs come in batches (one per log file) and only the events a
 * stateful rule or an incident can use are held, until the reorder window has passed them, so a long log is
 * never all in memory. The outcomes are those of one `process` call over all the inputs, as long as no event
 * comes later than the window: duplicates across batches are found, and the stateful rules run in event-time
 * order over every batch. An event later than that is still triaged when it comes, and counted in `late`.
 */
export interface TriageRun {
  /** The outcomes settled by this batch: its own inputs that need no state, and held events the window passed. */
  add(inputs: readonly TriageInput[]): Promise<readonly SettledInput[]>;
  /** The outcomes of every event still held, by position. */
  finish(): Promise<readonly SettledInput[]>;
  /** Event time up to which every held event is settled (-Infinity before any). */
  settledThrough(): number;
  /** Events that came later than the reorder window allows (see TriageRunOptions). */
  late(): number;
}

/** A classified event on its way through the stateful part; `index` is its input position. */
interface Admitted {
  readonly index: number;
  readonly id: string;
  readonly event: TriageEvent;
  readonly classification: Classification;
  readonly fingerprint: EventFingerprint;
  /** The other record of a reused eventID, when this one's content differs from it. */
  readonly reusedFrom?: EventSample;
}

/** Records the outcome of the input at a position. */
type Settle = (index: number, outcome: InputOutcome) => void;

/** Whether a burst rule counts the event: authorization failures, or successful calls of its operations. */
function burstCounts(rule: BurstRule, event: TriageEvent, classification: Classification): boolean {
  return rule.countsAuthFailures ? classification.authFailure : event.errorCode === undefined && rule.operations.includes(event.eventName);
}

/**
 * CloudTrail records a call after it happens. A time further ahead of the clock than this is a forged or broken
 * record, and would keep its incident open and its state alive until that time.
 */
const MAX_EVENT_TIME_AHEAD_MS = 15 * 60_000;

function fromTheFuture(event: TriageEvent): NormalizeResult {
  return {
    ok: false,
    eventId: event.eventId,
    reason: `eventTime ${event.eventTime} is more than ${MAX_EVENT_TIME_AHEAD_MS / 60_000} minutes ahead of the clock: CloudTrail records a call after it happens`,
  };
}

/** One incident per principal: every rule's events of an actor's episode are one story (docs/alerts.md). */
const actorKey = (event: TriageEvent): string => incidentKey(event.principal.key, 'actor');

/** Shared by every event that joined no alert (most of them): one empty list, not one each. */
const NO_ALERT_IDS: readonly string[] = Object.freeze([]);

export { IncidentConflictError } from './engine/incidents';

type Published = BatchResult['published'][number];

export function createTriage(deps: TriageDeps): Triage {
  const { policy, store, notifier, clock, logger, metrics } = deps;
  const mode = deps.mode ?? 'immediate';
  const reserveMs = deps.reserveMs ?? 0;
  const pagesPerHour = deps.pagesPerHour ?? 20;
  const classify = createClassifier(policy, deps.self);
  const incidents = createIncidents({ store, policy, logger, clock, updateIntervalMs: deps.updateIntervalMs ?? 15 * 60_000 });
  const delivery = createDelivery({ store, notifier, clock, logger, metrics, pagesPerHour });
  /** Deferred mode: every incident generation by alert id, in its latest state, until it is published. */
  const deferred = new Map<string, Alert>();
  /**
   * Deferred mode: the alerts a flush before the end published (see flush): their lastSeen time (to forget
   * them past the horizon), the last update number sent, and what the first message said of paging and answers.
   */
  const publishedEarlier = new Map<string, { lastSeen: number; updates: number; readonly paged: boolean; readonly enrichment?: Enrichment; readonly context?: PrincipalContext }>();

  /** Adds the playbook answer and the principal's context, as far as the alert's severity asks for them. */
  async function enrich(alert: Alert): Promise<Alert> {
    const wantsContext = deps.context !== undefined && severityRank(alert.severity) >= severityRank('MEDIUM');
    const wantsEnrichment = deps.enricher !== undefined && alert.enrichment === undefined;
    if (!wantsContext && !wantsEnrichment) return alert;
    const [enrichment, context] = await Promise.all([
      wantsEnrichment ? deps.enricher?.enrich(alert) : Promise.resolve(alert.enrichment),
      wantsContext ? deps.context?.describe(alert) : Promise.resolve(undefined),
    ]);
    if (wantsEnrichment && enrichment !== undefined) metrics.count(enrichment.status === 'answered' ? 'EnrichmentAnswered' : 'EnrichmentFailed');
    return { ...alert, enrichment: enrichment ?? alert.enrichment, context: context ?? alert.context };
  }

  /**
   * An incident's first message on the alerts topic and, for HIGH and CRITICAL within the cap, its page; each
   * sent once. The cap counts the hour of sending (replay, which sends nothing live, the hour the incident began).
   */
  async function deliverNew(generation: Generation): Promise<{ alert: Alert; sent: DeliveryResult }> {
    let alert: Alert = generation.alert.paged ? { ...generation.alert, paged: false } : generation.alert;
    let page: PageDecision | undefined;
    if (isPagingSeverity(alert.severity)) {
      const hourStart = delivery.hourOf(mode === 'deferred' ? Date.parse(alert.firstSeen) : clock.now());
      page = await delivery.decidePage(alert, hourStart);
      alert = page.paged ? { ...alert, paged: true } : { ...alert, reasons: [...alert.reasons, `not paged: the cap of ${pagesPerHour} pages per hour was reached`] };
    }
    alert = await enrich(alert);
    const message: OutgoingMessage = { id: messageIdOf(alert, 'new', 'alerts'), route: 'alerts', alert, kind: 'new' };
    const [sent, paged] = await Promise.allSettled([delivery.sendOnce(message), page === undefined ? Promise.resolve('already' as const) : delivery.sendPage(page, alert)]);
    if (sent.status === 'rejected') throw sent.reason;
    if (paged.status === 'rejected') throw paged.reason;
    if (sent.value === 'sent') metrics.count('AlertsPublished');
    logger.info('alert delivered', { alertId: alert.id, rule: alert.rule, severity: alert.severity, paged: alert.paged, count: alert.count, sent: sent.value, page: paged.value });
    return { alert, sent: sent.value };
  }

  /** What a generation still owes: its first message (and page), or its latest update (and the page of a rise); then the incident's record of it. */
  async function deliverGeneration(key: string, generation: Generation): Promise<Published | undefined> {
    if (generation.publishNew) {
      const { alert, sent } = await deliverNew(generation);
      if (generation.stored) await incidents.markAnnounced(key, alert, isPagingSeverity(alert.severity));
      return sent === 'sent' ? { alert, kind: 'new' } : undefined;
    }
    if (!generation.publishUpdate) return undefined;
    let alert = generation.alert;
    let page: PageDecision | undefined;
    if (generation.pageRise) {
      page = await delivery.decidePage(alert, delivery.hourOf(clock.now()), { id: pageIdOf(alert, generation.pagedBefore), kind: 'update' });
      alert = page.paged ? { ...alert, paged: true } : { ...alert, reasons: [...alert.reasons, `not paged: the cap of ${pagesPerHour} pages per hour was reached`] };
      alert = await enrich(alert);
    }
    const message: OutgoingMessage = { id: messageIdOf(alert, 'update', 'alerts'), route: 'alerts', alert, kind: 'update' };
    const [sent, paged] = await Promise.allSettled([delivery.sendOnce(message), page === undefined ? Promise.resolve('already' as const) : delivery.sendPage(page, alert)]);
    if (sent.status === 'rejected') throw sent.reason;
    if (paged.status === 'rejected') throw paged.reason;
    if (sent.value === 'sent') {
      metrics.count('AlertUpdatesPublished');
      logger.info('alert update published', { alertId: alert.id, severity: alert.severity, updates: alert.updates, count: alert.count, page: paged.value });
    }
    if (generation.stored) await incidents.markAnnounced(key, alert, page !== undefined);
    return sent.value === 'sent' ? { alert, kind: 'update' } : undefined;
  }

  let localized: Promise<(operation: string) => LocalizedSubject | undefined> | undefined;
  async function localizer(): Promise<(operation: string) => LocalizedSubject | undefined> {
    localized ??= (deps.localizedText?.() ?? Promise.resolve(() => undefined)).catch((error: unknown) => {
      // Texts stay in English rather than fail triage; the next container tries again.
      logger.warn('localized playbook texts unavailable; alerts stay in English', { error: error as Error });
      return () => undefined;
    });
    return localized;
  }

  /**
   * Validates, de-duplicates (against the store and `seen`) and classifies; settles rejections and
   * duplicates (input i is position `offset + i`). Returns the events, in event-time order.
   */
  async function admit(inputs: readonly TriageInput[], offset: number, settle: Settle, seen: Map<string, EventFingerprint>): Promise<Admitted[]> {
    metrics.count('EventsIn', inputs.length);
    const valid: { index: number; id: string; event: TriageEvent }[] = [];
    const latestTime = clock.now() + MAX_EVENT_TIME_AHEAD_MS;
    inputs.forEach((input, i) => {
      const index = offset + i;
      let result: NormalizeResult = 'error' in input ? { ok: false, reason: input.error } : normalizeEvent(input.value, input.bytes);
      if (result.ok && result.event.time > latestTime) result = fromTheFuture(result.event);
      if (result.ok) {
        valid.push({ index, id: input.id, event: result.event });
        return;
      }
      if (isPassedOver(result)) {
        settle(index, { id: input.id, status: 'passed-over' });
        metrics.count('EventsPassedOver');
        logger.debug('event passed over', { source: input.id, reason: result.reason });
        return;
      }
      settle(index, { id: input.id, status: 'rejected', reason: result.reason, eventId: result.eventId });
      metrics.count('EventsRejected');
      logger.warn('event rejected', { source: input.id, eventId: result.eventId, reason: result.reason });
    });

    const already = await store.processed(valid.map((item) => item.event.eventId));
    const fresh: (typeof valid[number] & { fingerprint: EventFingerprint; reusedFrom?: EventSample })[] = [];
    for (const { index, id, event } of valid) {
      const fingerprint: EventFingerprint = { eventId: event.eventId, digest: contentDigest(event), sample: sampleOf(event) };
      const earlier = seen.get(event.eventId) ?? already.get(event.eventId);
      if (earlier !== undefined && (earlier.digest === fingerprint.digest || earlier.digest === ANY_DIGEST)) {
        settle(index, { id, status: 'duplicate', event });
        metrics.count('DuplicatesSuppressed');
        continue;
      }
      if (earlier !== undefined) {
        metrics.count('EventIdReused');
        logger.warn('eventID reused with different content', { eventId: event.eventId, source: id });
      }
      // The first content seen stays the reference: a third copy is compared with it too.
      if (earlier === undefined) seen.set(event.eventId, fingerprint);
      fresh.push({ index, id, event, fingerprint, reusedFrom: earlier?.sample });
    }
    fresh.sort((a, b) => a.event.time - b.event.time);

    const admitted = fresh.map((item): Admitted => ({ ...item, classification: classify(item.event) }));
    const selfCount = admitted.filter((item) => item.classification.self).length;
    if (selfCount > 0) metrics.count('SelfEventsIgnored', selfCount);
    if (deps.activity !== undefined && selfCount < admitted.length) {
      // The activity log feeds investigation context; losing a write degrades context, never an alert.
      await deps.activity.append(admitted.filter((item) => !item.classification.self).map((item) => item.event)).catch((error: unknown) => {
        logger.error('activity log append failed', { error: error as Error });
      });
    }
    return admitted;
  }

  /** Whether a stateful rule or an incident can use the event: if not, its outcome is known once it is classified. */
  function needsState({ event, classification, reusedFrom }: Admitted): boolean {
    if (classification.self) return false;
    // A reused eventID raises its own incident, whatever the event's severity.
    return reusedFrom !== undefined || severityRank(classification.severity) >= severityRank('LOW') || policy.bursts.some((rule) => burstCounts(rule, event, classification));
  }

  /**
   * Stateful rules, incidents and publishing for admitted events (in event-time order); settles each
   * and marks the done ones processed.
   */
  async function runStateful(admitted: readonly Admitted[], settle: Settle, remainingMs?: () => number): Promise<BatchResult['published']> {
    const localize = await localizer();
    const others = admitted.filter((item) => !item.classification.self);
    const work = new Map<string, Work[]>();
    const addWork = (key: string, item: Work): void => {
      const list = work.get(key);
      if (list === undefined) work.set(key, [item]);
      else list.push(item);
    };
    const failedIndexes = new Map<number, string>();
    const fail = (indexes: Iterable<number>, reason: string): void => {
      for (const index of indexes) failedIndexes.set(index, reason);
    };
    try {
      await applyBurstRules(others, addWork, localize);
    } catch (error) {
      // Without the counters no burst can be judged: every event goes back to the queue, none is half-counted.
      logger.error('burst counters failed; records will be retried', { error: error as Error });
      fail(others.map((item) => item.index), `state store: ${(error as Error).message}`);
      work.clear();
    }
    for (const { index, event, classification, reusedFrom } of others) {
      if (failedIndexes.has(index)) continue;
      if (reusedFrom !== undefined) {
        addWork(actorKey(event), { index, event, subject: eventIdReusedSubject(), initialCount: 1, evidence: reusedFrom });
      }
      if (severityRank(classification.severity) < severityRank('LOW')) continue;
      addWork(actorKey(event), {
        index,
        event,
        subject: subjectOfEvent(event, classification, localize(event.eventName)),
        initialCount: 1,
      });
    }

    const alertIdsByIndex = new Map<number, string[]>();
    const published: Published[] = [];
    const concurrency = deps.publishConcurrency ?? 8;

    await mapLimit([...work.entries()], concurrency, async ([key, items]) => {
      let generations: Generation[];
      try {
        // In event time (stable: a burst's item before the event's own at the same time), so the earliest event
        // opens the actor's incident however the events were batched.
        generations = await incidents.apply(key, [...items].sort((a, b) => a.event.time - b.event.time));
      } catch (error) {
        logger.error('incident update failed; records will be retried', { incidentKey: key, error: error as Error });
        fail(items.map((item) => item.index), `state store: ${(error as Error).message}`);
        return;
      }
      for (const generation of generations) {
        for (const index of generation.eventIndexes) {
          const ids = alertIdsByIndex.get(index) ?? [];
          ids.push(generation.alert.id);
          alertIdsByIndex.set(index, ids);
        }
        if (mode === 'deferred') {
          deferred.set(generation.alert.id, generation.alert);
          continue;
        }
        try {
          if (remainingMs !== undefined && remainingMs() < reserveMs) throw new Error('near the function timeout: left for retry');
          const message = await deliverGeneration(key, generation);
          if (message !== undefined) published.push(message);
        } catch (error) {
          metrics.count('PublishFailures');
          logger.error('alert not delivered; records will be retried', { incidentKey: key, alertId: generation.alert.id, error: error as Error });
          fail(generation.eventIndexes, `publish: ${(error as Error).message}`);
        }
      }
    });

    const done: EventFingerprint[] = [];
    for (const { index, id, event, classification, fingerprint } of admitted) {
      const failure = failedIndexes.get(index);
      if (failure !== undefined) {
        settle(index, { id, status: 'failed', reason: failure, event });
        continue;
      }
      const alertIds = alertIdsByIndex.get(index) ?? NO_ALERT_IDS;
      settle(index, { id, status: alertIds.length > 0 ? 'alerted' : 'classified', event, classification, alertIds });
      done.push(fingerprint);
    }
    if (failedIndexes.size > 0) metrics.count('RecordsRetried', failedIndexes.size);
    if (done.length > 0) await markProcessed(admitted, done, settle);
    return published;
  }

  /**
   * Marks the done events processed. If that write fails, they go back to the queue: the retry finds every
   * message delivered and every count already made, so it sends nothing twice.
   */
  async function markProcessed(admitted: readonly Admitted[], done: readonly EventFingerprint[], settle: Settle): Promise<void> {
    try {
      await store.markProcessed(done);
    } catch (error) {
      logger.error('processed markers not written; records will be retried', { error: error as Error });
      const reason = `state store: ${(error as Error).message}`;
      const doneIds = new Set(done.map((fingerprint) => fingerprint.eventId));
      for (const { index, id, event } of admitted) if (doneIds.has(event.eventId)) settle(index, { id, status: 'failed', reason, event });
    }
  }

  async function process(inputs: readonly TriageInput[], options: ProcessOptions = {}): Promise<BatchResult> {
    const outcomes = new Array<InputOutcome>(inputs.length);
    const settle: Settle = (index, outcome) => {
      outcomes[index] = outcome;
    };
    const admitted = await admit(inputs, 0, settle, new Map());
    const published = await runStateful(admitted, settle, options.remainingMs);
    return { outcomes, published };
  }

  function openRun(options: TriageRunOptions = {}): TriageRun {
    const reorderWindowMs = options.reorderWindowMs ?? Number.POSITIVE_INFINITY;
    const horizonMs = options.horizonMs ?? Number.POSITIVE_INFINITY;
    /** The first fingerprint of every event id within the horizon: a copy is a duplicate, other content a reused id. */
    const seen = new Map<string, EventFingerprint>();
    // The ids in `seen`, in the order they came (about time order), to forget the ones past the horizon.
    let seenOrder: { readonly time: number; readonly eventId: string }[] = [];
    let forgotten = 0;
    const forgetOldIds = (): void => {
      const cutoff = settledUpTo - horizonMs;
      while (forgotten < seenOrder.length && (seenOrder[forgotten] as { time: number }).time < cutoff) seen.delete((seenOrder[forgotten++] as { eventId: string }).eventId);
      if (forgotten > 4096 && forgotten * 2 > seenOrder.length) {
        seenOrder = seenOrder.slice(forgotten);
        forgotten = 0;
      }
    };
    // The held events, in arrival order; sorted by time when the window passes some of them.
    let held: Admitted[] = [];
    let offset = 0;
    let newest = Number.NEGATIVE_INFINITY;
    let settledUpTo = Number.NEGATIVE_INFINITY;
    let late = 0;

    // Incidents no event still to settle can join, past the horizon for late ones: out of the store, and out
    // of the ids flush remembers as published; burst entries likewise.
    let forgetFrom = Number.NEGATIVE_INFINITY;
    const forgetClosedIncidents = (): void => {
      const before = settledUpTo - policy.aggregationWindowMs - horizonMs;
      if (before - forgetFrom < policy.aggregationWindowMs) return;
      forgetFrom = before;
      store.forgetIncidents?.(before);
      // Burst entries no event within the horizon shares a window with.
      store.forgetBursts?.(settledUpTo - horizonMs - policy.burstWindowMs);
      for (const [id, { lastSeen }] of publishedEarlier) if (lastSeen < before) publishedEarlier.delete(id);
    };

    /** Whether a burst rule counts the event (self events never are). */
    const burstCounted = ({ event, classification }: Admitted): boolean =>
      !classification.self && policy.bursts.some((rule) => burstCounts(rule, event, classification));

    /**
     * Counts held events in their burst counters as they come (idempotent per eventID: settling counts them
     * again and gets the window counts). A burst is judged by the fullest window an event belongs to, so an
     * event is judged once every event up to a burst window after it has been counted. A failure here only
     * leaves the counting to the settling, which retries it and fails the events if it fails again.
     */
    async function countAhead(items: readonly Admitted[]): Promise<void> {
      for (const [key, { items: counted }] of burstGroups(items)) {
        await store.addToBurst(key, counted.map(({ event }) => ({ eventId: event.eventId, time: event.time })), policy.burstWindowMs).catch((error: unknown) => {
          logger.debug('burst counter not counted ahead; counted when settled', { error: error as Error });
        });
      }
    }

    /**
     * Event time up to which held events can be settled: the reorder window behind the newest event, but before
     * any burst-counted event whose burst window has not yet passed that point (its later events may still come).
     */
    function settleLimit(): number {
      const through = newest - reorderWindowMs;
      let limit = through;
      for (const item of held) {
        const time = item.event.time;
        if (time <= limit && time > through - policy.burstWindowMs && burstCounted(item)) limit = time - 1;
      }
      return limit;
    }

    /** Settles, in time order, the held events at or before `through`; keeps the rest. */
    async function settleHeld(through: number, out: SettledInput[]): Promise<void> {
      if (through <= settledUpTo) return;
      settledUpTo = through;
      if (held.length === 0) return;
      const ready: Admitted[] = [];
      const waiting: Admitted[] = [];
      for (const item of held) (item.event.time <= through ? ready : waiting).push(item);
      held = waiting;
      if (ready.length === 0) return;
      // Each batch was in time order; a stable sort of their concatenation is the order of one big batch.
      ready.sort((a, b) => a.event.time - b.event.time);
      await runStateful(ready, (position, outcome) => out.push({ position, outcome }));
    }

    return {
      async add(inputs) {
        const start = offset;
        offset += inputs.length;
        const settled: SettledInput[] = [];
        const settle: Settle = (position, outcome) => {
          settled.push({ position, outcome });
        };
        const now: Admitted[] = [];
        const heldNow: Admitted[] = [];
        for (const item of await admit(inputs, start, settle, seen)) {
          // A reused id keeps its first fingerprint in `seen` (see admit): that one's time forgets it.
          if (horizonMs !== Number.POSITIVE_INFINITY && item.reusedFrom === undefined) seenOrder.push({ time: item.event.time, eventId: item.event.eventId });
          if (item.event.time > newest) newest = item.event.time;
          if (!needsState(item)) now.push(item);
          else if (item.event.time > settledUpTo) heldNow.push(item);
          else {
            // Behind events already settled: triaged now, in the order it came.
            late += 1;
            now.push(item);
          }
        }
        await runStateful(now, settle);
        if (heldNow.length > 0) {
          for (const item of heldNow) held.push(item);
          await countAhead(heldNow);
        }
        await settleHeld(settleLimit(), settled);
        forgetOldIds();
        if (horizonMs !== Number.POSITIVE_INFINITY) forgetClosedIncidents();
        return settled;
      },
      async finish() {
        const settled: SettledInput[] = [];
        await settleHeld(Number.POSITIVE_INFINITY, settled);
        return settled.sort((a, b) => a.position - b.position);
      },
      settledThrough: () => settledUpTo,
      late: () => late,
    };
  }

  /** The events each burst counter counts, by counter key (`<principalKey>#<rule>`). */
  function burstGroups(events: readonly Admitted[]): Map<string, { rule: BurstRule; items: Admitted[] }> {
    const groups = new Map<string, { rule: BurstRule; items: Admitted[] }>();
    for (const item of events) {
      for (const rule of policy.bursts) {
        if (!burstCounts(rule, item.event, item.classification)) continue;
        const key = `${item.event.principal.key}#${rule.id}`;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, { rule, items: [item] });
        else group.items.push(item);
      }
    }
    return groups;
  }

  /** Burst rules: count matching events per principal; those at or over the threshold join the burst incident. */
  async function applyBurstRules(
    events: readonly Admitted[],
    addWork: (key: string, item: Work) => void,
    localize: (operation: string) => LocalizedSubject | undefined,
  ): Promise<void> {
    for (const [key, { rule, items }] of burstGroups(events)) {
      const counts = await store.addToBurst(key, items.map(({ event }) => ({ eventId: event.eventId, time: event.time })), policy.burstWindowMs);
      items.forEach((item, position) => {
        const { count, peak } = counts[position] ?? { count: 0, peak: 0 };
        // Every event of a window that reached the threshold joins, however late it arrived.
        if (peak < rule.threshold) return;
        addWork(actorKey(item.event), {
          index: item.index,
          event: item.event,
          subject: subjectOfBurst(rule, peak, policy.burstWindowMs, localize(item.event.eventName)?.translator),
          initialCount: count,
        });
      });
    }
  }

  /** Deferred mode: whether an event at or after `time` can still join the incident. */
  const open = (alert: Alert, time: number): boolean =>
    time - Date.parse(alert.lastSeen) <= policy.aggregationWindowMs && time - Date.parse(alert.firstSeen) <= policy.maxIncidentMs;
  const byFirstSeen = (a: Alert, b: Alert): number => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id);

  async function flush(settledThrough = Number.POSITIVE_INFINITY): Promise<readonly Alert[]> {
    if (mode !== 'deferred') return [];
    // Final incidents, in first-seen order, up to the first one still open: the order of one flush at the end.
    const all = [...deferred.values()].sort(byFirstSeen);
    const firstOpen = all.findIndex((alert) => open(alert, settledThrough));
    const alerts = firstOpen < 0 ? all : all.slice(0, firstOpen);
    for (const alert of alerts) deferred.delete(alert.id);
    // Page decisions in time order (the cap goes to the first), enrichment concurrently, output in order: replay is deterministic.
    const decided: { alert: Alert; page?: PageDecision }[] = [];
    for (const alert of alerts) {
      if (publishedEarlier.has(alert.id)) continue;
      if (!isPagingSeverity(alert.severity)) {
        decided.push({ alert });
        continue;
      }
      const page = await delivery.decidePage(alert, delivery.hourOf(Date.parse(alert.firstSeen)));
      decided.push({ alert: page.paged ? { ...alert, paged: true } : { ...alert, reasons: [...alert.reasons, `not paged: the cap of ${pagesPerHour} pages per hour was reached`] }, page });
    }
    const finished = await mapLimit(decided, deps.publishConcurrency ?? 8, async ({ alert, page }) => ({ alert: await enrich(alert), page }));
    let next = 0;
    for (const alert of alerts) {
      const earlier = publishedEarlier.get(alert.id);
      if (earlier !== undefined) {
        // A late event (see TriageRun) joined an incident already out: an update, on the alerts topic only, with
        // the incident's page flag and answer as sent, and its own update number (a stable message id).
        earlier.updates += 1;
        earlier.lastSeen = Date.parse(alert.lastSeen);
        const update: Alert = { ...alert, updates: earlier.updates, paged: earlier.paged, enrichment: earlier.enrichment ?? alert.enrichment, context: earlier.context ?? alert.context };
        if ((await delivery.sendOnce({ id: messageIdOf(update, 'update', 'alerts'), route: 'alerts', alert: update, kind: 'update' })) === 'sent') metrics.count('AlertUpdatesPublished');
        continue;
      }
      const { alert: published, page } = finished[next++] as (typeof finished)[number];
      await delivery.sendOnce({ id: messageIdOf(published, 'new', 'alerts'), route: 'alerts', alert: published, kind: 'new' });
      metrics.count('AlertsPublished');
      if (page !== undefined) await delivery.sendPage(page, published);
      if (settledThrough !== Number.POSITIVE_INFINITY) {
        publishedEarlier.set(published.id, {
          lastSeen: Date.parse(published.lastSeen),
          updates: published.updates,
          paged: published.paged,
          enrichment: published.enrichment,
          context: published.context,
        });
      }
    }
    return finished.map(({ alert }) => alert);
  }

  const sweep = createSweep({ store, incidents, clock, logger, metrics, deliver: deliverGeneration, concurrency: deps.publishConcurrency, reserveMs });
  return { process, open: openRun, flush, sweep };
}
