/**
 * The replay run (TriageRun): inputs in batches, events a stateful rule or an incident can use held until the
 * reorder window has passed them, then settled in event-time order; what is past the horizon forgotten, so a
 * long log is never all in memory.
 */
import type { Policy } from '../classify/policy';
import type { Logger } from '../logger';
import { severityRank } from '../playbook/types';
import type { StateStore } from '../state/store';
import { SeenEvents } from './seen-events';
import type { Admission } from './admission';
import { countedByAnyBurst, type Bursts } from './bursts';
import type { StatefulStep } from './stateful';
import type { Admitted, Settle, SettledInput, TriageRun, TriageRunOptions } from './types';

export interface ReplayRunDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly admission: Admission;
  readonly bursts: Bursts;
  readonly stateful: StatefulStep;
  /** Forgets published incidents last seen before a time (the deferred flush's memory of them). */
  readonly forgetPublishedBefore?: (time: number) => void;
}

/** Whether a stateful rule or an incident can use the event: if not, its outcome is known once it is classified. */
export function needsState(policy: Policy, { event, classification, reused }: Admitted): boolean {
  if (classification.self) return false;
  // A reused eventID raises its own incident, whatever the event's severity.
  return (
    reused !== undefined ||
    severityRank(classification.severity) >= severityRank('LOW') ||
    countedByAnyBurst(policy, event, classification)
  );
}

export function openReplayRun(deps: ReplayRunDeps, options: TriageRunOptions = {}): TriageRun {
  const { policy, store, logger, admission, bursts, stateful } = deps;
  const reorderWindowMs = options.reorderWindowMs ?? Number.POSITIVE_INFINITY;
  const horizonMs = options.horizonMs ?? Number.POSITIVE_INFINITY;
  /** The first record of every event id within the horizon: a copy is a duplicate, other content a reused id. */
  const seen = new SeenEvents();
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
    deps.forgetPublishedBefore?.(before);
  };

  /** Whether a burst rule counts the event (self events never are). */
  const burstCounted = ({ event, classification }: Admitted): boolean =>
    !classification.self && countedByAnyBurst(policy, event, classification);

  /**
   * Counts held events in their burst counters as they come (idempotent per eventID: settling counts them
   * again and gets the window counts). A burst is judged by the fullest window an event belongs to, so an
   * event is judged once every event up to a burst window after it has been counted. A failure here only
   * leaves the counting to the settling, which retries it and fails the events if it fails again.
   */
  async function countAhead(items: readonly Admitted[]): Promise<void> {
    for (const [key, { items: counted }] of bursts.groups(items)) {
      await store
        .addToBurst(
          key,
          counted.map(({ event }) => ({ eventId: event.eventId, time: event.time })),
          policy.burstWindowMs,
        )
        .catch((error: unknown) => {
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
    await stateful.run(ready, (position, outcome) => out.push({ position, outcome }));
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
      for (const item of await admission.admit(inputs, start, settle, seen)) {
        if (item.event.time > newest) newest = item.event.time;
        if (!needsState(policy, item)) now.push(item);
        else if (item.event.time > settledUpTo) heldNow.push(item);
        else {
          // Behind events already settled: triaged now, in the order it came.
          late += 1;
          now.push(item);
        }
      }
      await stateful.run(now, settle);
      if (heldNow.length > 0) {
        for (const item of heldNow) held.push(item);
        await countAhead(heldNow);
      }
      await settleHeld(settleLimit(), settled);
      seen.forgetBefore(settledUpTo - horizonMs);
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
