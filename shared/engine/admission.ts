/**
 * Admission: validate → future-time check → classify → de-duplicate → activity log. Settles what goes no
 * further (rejected, passed over, duplicates) and hands on the rest, classified, in event-time order. Routine
 * events (bursts.ts, isRoutine) are not looked up in the store and are rolled up in the activity log.
 */
import { sampleOf } from '../alerts/builder';
import type { Classification } from '../classify/classify';
import type { Clock } from '../clock';
import { isPassedOver, normalizeEvent, type NormalizeResult, type TriageEvent } from '../events';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import { severityRank } from '../playbook/types';
import { ANY_DIGEST, type EventFingerprint, type StateStore } from '../state/store';
import type { Policy } from '../classify/policy';
import { isRoutine } from './bursts';
import { contentDigest } from './fingerprint';
import type { SeenEvent, SeenEvents } from './seen-events';
import type { ActivitySink, Admitted, RollupScope, Settle, TriageInput } from './types';

/**
 * CloudTrail records a call after it happens. A time further ahead of the clock than this is a forged or broken
 * record, and would keep its incident open and its state alive until that time.
 */
export const MAX_EVENT_TIME_AHEAD_MS = 15 * 60_000;

function fromTheFuture(event: TriageEvent): NormalizeResult {
  return {
    ok: false,
    eventId: event.eventId,
    reason: `eventTime ${event.eventTime} is more than ${MAX_EVENT_TIME_AHEAD_MS / 60_000} minutes ahead of the clock: CloudTrail records a call after it happens`,
  };
}

export interface Admission {
  /**
   * Validates, de-duplicates (against the store and `seen`, which it extends) and classifies; settles rejections
   * and duplicates (input i is position `offset + i`). Returns the events, in event-time order.
   */
  admit(inputs: readonly TriageInput[], offset: number, settle: Settle, seen: SeenEvents): Promise<Admitted[]>;
  /** Writes the activity roll-ups held (those due, or a few principals'). Never throws: a failure keeps them for the next time. */
  flushActivity(scope: RollupScope): Promise<void>;
}

export interface AdmissionDeps {
  readonly policy: Policy;
  readonly classify: (event: TriageEvent) => Classification;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly activity?: ActivitySink;
}

export function createAdmission({
  policy,
  classify,
  store,
  clock,
  logger,
  metrics,
  activity,
}: AdmissionDeps): Admission {
  const routine = (item: { readonly event: TriageEvent; readonly classification: Classification }): boolean =>
    isRoutine(policy, item.event, item.classification);

  /** Settles what is not a valid Amazon Q event; returns the rest. */
  function validate(
    inputs: readonly TriageInput[],
    offset: number,
    settle: Settle,
  ): { index: number; id: string; event: TriageEvent }[] {
    const valid: { index: number; id: string; event: TriageEvent }[] = [];
    const latestTime = clock.now() + MAX_EVENT_TIME_AHEAD_MS;
    inputs.forEach((input, i) => {
      const index = offset + i;
      let result: NormalizeResult =
        'error' in input ? { ok: false, reason: input.error } : normalizeEvent(input.value, input.bytes);
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
    return valid;
  }

  async function admit(
    inputs: readonly TriageInput[],
    offset: number,
    settle: Settle,
    seen: SeenEvents,
  ): Promise<Admitted[]> {
    metrics.count('EventsIn', inputs.length);
    const valid = validate(inputs, offset, settle);

    const classified = valid.map((item) => ({ ...item, classification: classify(item.event) }));
    // Routine events are not looked up: no marker is written for them.
    const already = await store.processed(
      classified.filter((item) => !routine(item)).map((item) => item.event.eventId),
    );
    const admitted: Admitted[] = [];
    for (const { index, id, event, classification } of classified) {
      const digest = contentDigest(event);
      const earlier: SeenEvent | undefined = seen.get(event.eventId) ?? already.get(event.eventId);
      if (earlier !== undefined && (earlier.digest === digest || earlier.digest === ANY_DIGEST)) {
        settle(index, { id, status: 'duplicate', event });
        metrics.count('DuplicatesSuppressed');
        continue;
      }
      if (earlier !== undefined) {
        metrics.count('EventIdReused');
        logger.warn('eventID reused with different content', { eventId: event.eventId, source: id });
      }
      const fingerprint: EventFingerprint = { eventId: event.eventId, digest, sample: sampleOf(event) };
      // The first content seen stays the reference: a third copy is compared with it too.
      if (earlier === undefined) {
        const canAlert = !classification.self && severityRank(classification.severity) >= severityRank('LOW');
        seen.remember(event.eventId, event.time, digest, seen.everySample || canAlert ? fingerprint.sample : undefined);
      }
      admitted.push({
        index,
        id,
        event,
        classification,
        fingerprint,
        reused: earlier === undefined ? undefined : { sample: earlier.sample },
      });
    }
    admitted.sort((a, b) => a.event.time - b.event.time);

    const selfCount = admitted.filter((item) => item.classification.self).length;
    if (selfCount > 0) metrics.count('SelfEventsIgnored', selfCount);
    if (activity !== undefined && selfCount < admitted.length)
      await logActivity(
        activity,
        admitted.filter((item) => !item.classification.self),
      );
    return admitted;
  }

  /**
   * The activity log feeds investigation context: an entry per event that can alert or count, routine events
   * rolled up where the sink can. Losing a write degrades context, never an alert.
   */
  async function logActivity(sink: ActivitySink, items: readonly Admitted[]): Promise<void> {
    const rolled = sink.rollUp === undefined ? [] : items.filter((item) => routine(item) && item.reused === undefined);
    if (rolled.length > 0) sink.rollUp?.(rolled.map((item) => item.event));
    const logged = rolled.length === 0 ? items : items.filter((item) => !rolled.includes(item));
    if (logged.length === 0) return;
    await sink.append(logged.map((item) => item.event)).catch((error: unknown) => {
      logger.error('activity log append failed', { error: error as Error });
    });
  }

  async function flushActivity(scope: RollupScope): Promise<void> {
    await activity?.flushRollUps?.(scope).catch((error: unknown) => {
      logger.error('activity roll-ups not written; kept for the next flush', { error: error as Error });
    });
  }

  return { admit, flushActivity };
}
