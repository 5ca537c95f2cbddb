/**
 * The triage pipeline, the same for the Lambda and for `q-triage replay`:
 * validate → de-duplicate → classify → stateful rules → aggregate into incidents → enrich → publish.
 * Everything that touches the outside world is injected.
 */
import type { Alert, Enrichment, PrincipalContext } from './alerts/model';
import {
  foldEvent,
  incidentKey,
  openAlert,
  subjectOfBurst,
  subjectOfEvent,
  type AlertSubject,
  type LocalizedSubject,
} from './alerts/builder';
import { createClassifier, type Classification } from './classify/classify';
import type { BurstRule, Policy } from './classify/policy';
import type { SelfMatcher } from './classify/self';
import type { Clock } from './clock';
import { mapLimit } from './concurrency';
import { normalizeEvent, type NormalizeResult, type TriageEvent } from './events';
import type { Logger } from './logger';
import type { MetricsSink } from './metrics';
import { isPagingSeverity, severityRank } from './playbook/types';
import type { IncidentRecord, StateStore } from './state/store';

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

export interface Notifier {
  publish(alert: Alert, kind: 'new' | 'update'): Promise<void>;
}
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
  /**
   * `immediate` (Lambda): publish what each batch touched at its end.
   * `deferred` (replay): publish every incident once, in its final state, on `flush()`.
   */
  readonly mode?: 'immediate' | 'deferred';
  /** Milliseconds left before the caller's deadline; publishing stops when fewer than `reserveMs` remain. */
  readonly remainingMs?: () => number;
  readonly reserveMs?: number;
  readonly publishConcurrency?: number;
  /** Alert texts in the alert locale, loaded once before the first batch (see shared/playbook/localized-table.ts). */
  readonly localizedText?: () => Promise<(operation: string) => LocalizedSubject | undefined>;
}

export interface Triage {
  /** One batch (the Lambda's): every input to its outcome. */
  process(inputs: readonly TriageInput[]): Promise<BatchResult>;
  /** A run over more input than one batch should hold (replay): see TriageRun. */
  open(options?: TriageRunOptions): TriageRun;
  /**
   * Deferred mode: publish the incidents no event at or after `settledThrough` (event time) can change, in
   * first-seen order, or every incident when it is not given. Immediate mode: nothing to do.
   */
  flush(settledThrough?: number): Promise<readonly Alert[]>;
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

/** One incident generation touched by a batch, and what must be published for it. */
interface Touched {
  alert: Alert;
  /** This writer holds the lease to publish the incident's first message. */
  publishNew: boolean;
  /** An already-published incident got events: publish an update. */
  publishUpdate: boolean;
  /** The generation is the one stored (a generation closed within the batch is not). */
  stored: boolean;
  readonly eventIndexes: Set<number>;
}

interface Work {
  readonly index: number;
  readonly event: TriageEvent;
  readonly subject: AlertSubject;
  readonly initialCount: number;
}

/** A classified event on its way through the stateful part; `index` is its input position. */
interface Admitted {
  readonly index: number;
  readonly id: string;
  readonly event: TriageEvent;
  readonly classification: Classification;
}

/** Records the outcome of the input at a position. */
type Settle = (index: number, outcome: InputOutcome) => void;

/** Whether a burst rule counts the event: authorization failures, or successful calls of its operations. */
function burstCounts(rule: BurstRule, event: TriageEvent, classification: Classification): boolean {
  return rule.countsAuthFailures ? classification.authFailure : event.errorCode === undefined && rule.operations.includes(event.eventName);
}

const LEASE_MS = 60_000;
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

/** Shared by every event that joined no alert (most of them): one empty list, not one each. */
const NO_ALERT_IDS: readonly string[] = Object.freeze([]);
const MAX_WRITE_ATTEMPTS = 8;

export class IncidentConflictError extends Error {
  override readonly name = 'IncidentConflictError';
}

export function createTriage(deps: TriageDeps): Triage {
  const { policy, store, notifier, clock, logger, metrics } = deps;
  const mode = deps.mode ?? 'immediate';
  const reserveMs = deps.reserveMs ?? 0;
  const pagesPerHour = deps.pagesPerHour ?? 20;
  const classify = createClassifier(policy, deps.self);
  /** Deferred mode: every incident generation by alert id, in its latest state, until it is published. */
  const deferred = new Map<string, Alert>();
  /** Deferred mode: the alerts a flush before the end published (see flush), with their lastSeen time. */
  const publishedEarlier = new Map<string, number>();

  const expired = (alert: Alert, event: TriageEvent): boolean =>
    event.time - Date.parse(alert.lastSeen) > policy.aggregationWindowMs ||
    event.time - Date.parse(alert.firstSeen) > policy.maxIncidentMs;
  /**
   * An event that would lift an incident to the paging severities starts an incident of its own: updates never
   * page, so a denied CreatePlugin (MEDIUM) must not absorb the successful one (HIGH) that follows it.
   */
  const escalates = (alert: Alert, subject: AlertSubject): boolean =>
    isPagingSeverity(subject.severity) && !isPagingSeverity(alert.severity);

  /** Applies one key's work items, in time order, to its stored incident; retries on a lost race. */
  async function applyToIncident(key: string, items: readonly Work[]): Promise<Touched[]> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      const now = clock.now();
      const generations: Touched[] = [];
      let current: Touched | undefined;
      if (stored !== undefined) {
        const canPublishFirst = !stored.published && stored.publishLeaseUntil <= now;
        current = { alert: stored.alert, publishNew: canPublishFirst, publishUpdate: false, stored: true, eventIndexes: new Set() };
      }
      for (const item of items) {
        if (current === undefined || expired(current.alert, item.event) || escalates(current.alert, item.subject)) {
          if (current !== undefined && current.eventIndexes.size > 0) {
            current.stored = false;
            generations.push(current);
          }
          current = {
            alert: openAlert(item.subject, item.event, item.initialCount),
            publishNew: true,
            publishUpdate: false,
            stored: true,
            eventIndexes: new Set([item.index]),
          };
          continue;
        }
        current.alert = foldEvent(current.alert, item.subject, item.event);
        current.eventIndexes.add(item.index);
        if (stored !== undefined && current.alert.id === stored.alert.id && stored.published) current.publishUpdate = true;
      }
      if (current === undefined) return [];
      generations.push(current);
      if (current.publishUpdate) current.alert = { ...current.alert, updates: current.alert.updates + 1 };
      const record: IncidentRecord = {
        key,
        version: (stored?.version ?? 0) + 1,
        alert: current.alert,
        published: stored !== undefined && stored.alert.id === current.alert.id ? stored.published : false,
        publishLeaseUntil: current.publishNew ? now + LEASE_MS : (stored?.alert.id === current.alert.id ? stored.publishLeaseUntil : 0),
      };
      if (await store.putIncident(record, stored?.version)) return generations;
      logger.debug('incident write lost a race; retrying', { incidentKey: key, attempt });
    }
    throw new IncidentConflictError(`incident ${key} kept changing under concurrent writers`);
  }

  async function enrichAndPage(alert: Alert): Promise<Alert> {
    const pageable = isPagingSeverity(alert.severity);
    const wantsContext = deps.context !== undefined && severityRank(alert.severity) >= severityRank('MEDIUM');
    const wantsEnrichment = deps.enricher !== undefined && alert.enrichment === undefined;
    // Most alerts of a replay: nothing to ask and nothing to page.
    if (!pageable && !wantsContext && !wantsEnrichment) return alert.paged ? { ...alert, paged: false } : alert;
    let paged = false;
    const reasons = [...alert.reasons];
    if (pageable) {
      const hour = Math.floor(Date.parse(alert.firstSeen) / 3_600_000) * 3_600_000;
      const count = await store.countPage(hour);
      paged = count <= pagesPerHour;
      if (!paged) {
        metrics.count('PagesSuppressedByCap');
        reasons.push(`not paged: the cap of ${pagesPerHour} pages per hour was reached`);
        if (count === pagesPerHour + 1) await publishCapSummary(alert, hour);
      }
    }
    const [enrichment, context] = await Promise.all([
      wantsEnrichment ? deps.enricher?.enrich(alert) : Promise.resolve(alert.enrichment),
      wantsContext ? deps.context?.describe(alert) : Promise.resolve(undefined),
    ]);
    if (wantsEnrichment && enrichment !== undefined) metrics.count(enrichment.status === 'answered' ? 'EnrichmentAnswered' : 'EnrichmentFailed');
    return { ...alert, paged, reasons, enrichment: enrichment ?? alert.enrichment, context: context ?? alert.context };
  }

  async function publishCapSummary(alert: Alert, hour: number): Promise<void> {
    const summary: Alert = {
      ...alert,
      id: `page-cap-${hour}`,
      rule: 'page-cap',
      title: `Paging cap reached: ${pagesPerHour} pages this hour; further HIGH/CRITICAL alerts go to the alerts topic only`,
      description: 'The page cap protects responders from an alert storm. Review the alerts topic for everything raised since.',
      paged: true,
      count: 0,
      eventIds: [],
      samples: [],
    };
    await notifier.publish(summary, 'new');
    metrics.count('Pages');
  }

  async function markPublished(key: string, alert: Alert): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      if (stored === undefined || stored.alert.id !== alert.id) return;
      const record: IncidentRecord = {
        ...stored,
        version: stored.version + 1,
        published: true,
        publishLeaseUntil: 0,
        alert: { ...stored.alert, enrichment: alert.enrichment, paged: alert.paged },
      };
      if (await store.putIncident(record, stored.version)) return;
    }
    throw new IncidentConflictError(`could not mark incident ${key} published`);
  }

  /** Gives the first-publish lease back so that a retry can publish at once. */
  async function releaseLease(key: string, alert: Alert): Promise<void> {
    const stored = await store.getIncident(key);
    if (stored === undefined || stored.alert.id !== alert.id || stored.published) return;
    await store.putIncident({ ...stored, version: stored.version + 1, publishLeaseUntil: 0 }, stored.version);
  }

  async function publishTouched(key: string, touched: Touched): Promise<{ alert: Alert; kind: 'new' | 'update' } | undefined> {
    if (touched.publishNew) {
      const alert = await enrichAndPage(touched.alert);
      await notifier.publish(alert, 'new');
      metrics.count('AlertsPublished');
      if (alert.paged) metrics.count('Pages');
      if (touched.stored) await markPublished(key, alert);
      logger.info('alert published', { alertId: alert.id, rule: alert.rule, severity: alert.severity, paged: alert.paged, count: alert.count });
      return { alert, kind: 'new' };
    }
    if (touched.publishUpdate) {
      await notifier.publish(touched.alert, 'update');
      metrics.count('AlertUpdatesPublished');
      logger.info('alert update published', { alertId: touched.alert.id, updates: touched.alert.updates, count: touched.alert.count });
      return { alert: touched.alert, kind: 'update' };
    }
    return undefined;
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
  async function admit(inputs: readonly TriageInput[], offset: number, settle: Settle, seen: Set<string>): Promise<Admitted[]> {
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
      settle(index, { id: input.id, status: 'rejected', reason: result.reason, eventId: result.eventId });
      metrics.count('EventsRejected');
      logger.warn('event rejected', { source: input.id, eventId: result.eventId, reason: result.reason });
    });

    const already = await store.processed(valid.map((item) => item.event.eventId));
    const fresh = valid.filter(({ index, id, event }) => {
      // Seen before and remember it in one lookup (a replay makes one per event, into a set of all of them).
      const seenBefore = seen.size;
      if (already.has(event.eventId) || seen.add(event.eventId).size === seenBefore) {
        settle(index, { id, status: 'duplicate', event });
        metrics.count('DuplicatesSuppressed');
        return false;
      }
      return true;
    });
    fresh.sort((a, b) => a.event.time - b.event.time);

    const admitted = fresh.map(({ index, id, event }) => ({ index, id, event, classification: classify(event) }));
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
  function needsState({ event, classification }: Admitted): boolean {
    if (classification.self) return false;
    return severityRank(classification.severity) >= severityRank('LOW') || policy.bursts.some((rule) => burstCounts(rule, event, classification));
  }

  /**
   * Stateful rules, incidents and publishing for admitted events (in event-time order); settles each
   * and marks the done ones processed.
   */
  async function runStateful(admitted: readonly Admitted[], settle: Settle): Promise<BatchResult['published']> {
    const localize = await localizer();
    const others = admitted.filter((item) => !item.classification.self);
    const work = new Map<string, Work[]>();
    const addWork = (key: string, item: Work): void => {
      const list = work.get(key);
      if (list === undefined) work.set(key, [item]);
      else list.push(item);
    };
    await applyBurstRules(others, addWork);
    for (const { index, event, classification } of others) {
      if (severityRank(classification.severity) < severityRank('LOW')) continue;
      addWork(incidentKey(event.principal.key, classification.rule), {
        index,
        event,
        subject: subjectOfEvent(event, classification, localize(event.eventName)),
        initialCount: 1,
      });
    }

    const failedIndexes = new Map<number, string>();
    const alertIdsByIndex = new Map<number, string[]>();
    const published: { alert: Alert; kind: 'new' | 'update' }[] = [];
    const keyed = [...work.entries()];
    const concurrency = deps.publishConcurrency ?? 8;

    await mapLimit(keyed, concurrency, async ([key, items]) => {
      let generations: Touched[];
      try {
        generations = await applyToIncident(key, items);
      } catch (error) {
        logger.error('incident update failed; records will be retried', { incidentKey: key, error: error as Error });
        for (const item of items) failedIndexes.set(item.index, `state store: ${(error as Error).message}`);
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
        const outOfTime = deps.remainingMs !== undefined && deps.remainingMs() < reserveMs;
        try {
          if (outOfTime) throw new Error('near the function timeout: left for retry');
          const message = await publishTouched(key, generation);
          if (message !== undefined) published.push(message);
        } catch (error) {
          metrics.count('PublishFailures');
          logger.error('alert not published; records will be retried', { incidentKey: key, alertId: generation.alert.id, error: error as Error });
          for (const index of generation.eventIndexes) failedIndexes.set(index, `publish: ${(error as Error).message}`);
          if (generation.publishNew && generation.stored) {
            await releaseLease(key, generation.alert).catch((releaseError: unknown) => {
              logger.warn('lease release failed; it expires on its own', { incidentKey: key, error: releaseError as Error });
            });
          }
        }
      }
    });

    const done: string[] = [];
    for (const { index, id, event, classification } of admitted) {
      const failure = failedIndexes.get(index);
      if (failure !== undefined) {
        settle(index, { id, status: 'failed', reason: failure, event });
        continue;
      }
      const alertIds = alertIdsByIndex.get(index) ?? NO_ALERT_IDS;
      settle(index, { id, status: alertIds.length > 0 ? 'alerted' : 'classified', event, classification, alertIds });
      done.push(event.eventId);
    }
    if (failedIndexes.size > 0) metrics.count('RecordsRetried', failedIndexes.size);
    if (done.length > 0) await store.markProcessed(done);
    return published;
  }

  async function process(inputs: readonly TriageInput[]): Promise<BatchResult> {
    const outcomes = new Array<InputOutcome>(inputs.length);
    const settle: Settle = (index, outcome) => {
      outcomes[index] = outcome;
    };
    const admitted = await admit(inputs, 0, settle, new Set());
    const published = await runStateful(admitted, settle);
    return { outcomes, published };
  }

  function openRun(options: TriageRunOptions = {}): TriageRun {
    const reorderWindowMs = options.reorderWindowMs ?? Number.POSITIVE_INFINITY;
    const horizonMs = options.horizonMs ?? Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
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
    // of the ids flush remembers as published.
    let forgetFrom = Number.NEGATIVE_INFINITY;
    const forgetClosedIncidents = (): void => {
      const before = settledUpTo - policy.aggregationWindowMs - horizonMs;
      if (before - forgetFrom < policy.aggregationWindowMs) return;
      forgetFrom = before;
      store.forgetIncidents?.(before);
      for (const [id, lastSeen] of publishedEarlier) if (lastSeen < before) publishedEarlier.delete(id);
    };

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
        for (const item of await admit(inputs, start, settle, seen)) {
          if (horizonMs !== Number.POSITIVE_INFINITY) seenOrder.push({ time: item.event.time, eventId: item.event.eventId });
          if (item.event.time > newest) newest = item.event.time;
          if (!needsState(item)) now.push(item);
          else if (item.event.time > settledUpTo) held.push(item);
          else {
            // Behind events already settled: triaged now, in the order it came.
            late += 1;
            now.push(item);
          }
        }
        await runStateful(now, settle);
        await settleHeld(newest - reorderWindowMs, settled);
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

  /** Burst rules: count matching events per principal; those at or over the threshold join the burst incident. */
  async function applyBurstRules(
    events: readonly Admitted[],
    addWork: (key: string, item: Work) => void,
  ): Promise<void> {
    const groups = new Map<string, { rule: BurstRule; items: typeof events[number][] }>();
    for (const item of events) {
      for (const rule of policy.bursts) {
        if (!burstCounts(rule, item.event, item.classification)) continue;
        const key = `${item.event.principal.key}#${rule.id}`;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, { rule, items: [item] });
        else group.items.push(item);
      }
    }
    for (const [key, { rule, items }] of groups) {
      const counts = await store.addToBurst(key, items.map(({ event }) => ({ eventId: event.eventId, time: event.time })), policy.burstWindowMs);
      items.forEach((item, position) => {
        const count = counts[position] ?? 0;
        if (count < rule.threshold) return;
        addWork(incidentKey(item.event.principal.key, rule.id), {
          index: item.index,
          event: item.event,
          subject: subjectOfBurst(rule, count, policy.burstWindowMs),
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
    // Enrich concurrently, publish in order: replay output is deterministic.
    const fresh = await mapLimit(
      alerts.filter((alert) => !publishedEarlier.has(alert.id)),
      deps.publishConcurrency ?? 8,
      enrichAndPage,
    );
    let next = 0;
    for (const alert of alerts) {
      if (publishedEarlier.has(alert.id)) {
        // A late event (see TriageRun) joined an incident already out: an update, which never pages.
        await notifier.publish({ ...alert, paged: false, updates: alert.updates + 1 }, 'update');
        metrics.count('AlertUpdatesPublished');
        continue;
      }
      const published = fresh[next++] as Alert;
      if (settledThrough !== Number.POSITIVE_INFINITY) publishedEarlier.set(published.id, Date.parse(published.lastSeen));
      await notifier.publish(published, 'new');
      metrics.count('AlertsPublished');
      if (published.paged) metrics.count('Pages');
    }
    return fresh;
  }

  return { process, open: openRun, flush };
}
