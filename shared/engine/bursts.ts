/**
 * Burst rules: events a rule counts, per principal, in a sliding window of the state store; every event of a
 * window that reached the rule's threshold joins the burst's incident.
 */
import { subjectOfBurst, type LocalizedSubject } from '../alerts/builder';
import type { Classification } from '../classify/classify';
import type { BurstRule, Policy } from '../classify/policy';
import type { TriageEvent } from '../events';
import { severityRank } from '../playbook/types';
import type { StateStore } from '../state/store';
import type { Work } from './incidents';
import type { Admitted } from './types';

/** Whether a burst rule counts the event: authorization failures, or successful calls of its operations. */
export function burstCounts(rule: BurstRule, event: TriageEvent, classification: Classification): boolean {
  return rule.countsAuthFailures
    ? classification.authFailure
    : event.errorCode === undefined && rule.operations.includes(event.eventName);
}

/** Whether any of the policy's burst rules counts the event. */
export function countedByAnyBurst(policy: Policy, event: TriageEvent, classification: Classification): boolean {
  return policy.bursts.some((rule) => burstCounts(rule, event, classification));
}

/**
 * Routine: an event no rule, burst or incident can use (INFORMATIONAL and counted by no burst rule, or the
 * backend's own). It gets no processed marker and no lookup (de-duplication matters only for what can alert or
 * count) and is rolled up in the activity log (docs/context.md, "Routine events").
 */
export function isRoutine(policy: Policy, event: TriageEvent, classification: Classification): boolean {
  if (classification.self) return true;
  return (
    severityRank(classification.severity) < severityRank('LOW') && !countedByAnyBurst(policy, event, classification)
  );
}

export interface BurstGroup {
  readonly rule: BurstRule;
  readonly items: Admitted[];
}

export interface Bursts {
  /** The events each burst counter counts, by counter key (`<principalKey>#<rule>`), in the order given. */
  groups(events: readonly Admitted[]): Map<string, BurstGroup>;
  /**
   * Counts the events in their counters and returns, in counter then event order, the work of those whose
   * window reached its rule's threshold. A counter that fails to write throws: no burst can be judged without it.
   */
  judge(events: readonly Admitted[], localize?: (operation: string) => LocalizedSubject | undefined): Promise<Work[]>;
}

export interface BurstsDeps {
  readonly policy: Policy;
  readonly store: StateStore;
}

export function createBursts({ policy, store }: BurstsDeps): Bursts {
  function groups(events: readonly Admitted[]): Map<string, BurstGroup> {
    const byKey = new Map<string, BurstGroup>();
    for (const item of events) {
      for (const rule of policy.bursts) {
        if (!burstCounts(rule, item.event, item.classification)) continue;
        const key = `${item.event.principal.key}#${rule.id}`;
        const group = byKey.get(key);
        if (group === undefined) byKey.set(key, { rule, items: [item] });
        else group.items.push(item);
      }
    }
    return byKey;
  }

  async function judge(
    events: readonly Admitted[],
    localize?: (operation: string) => LocalizedSubject | undefined,
  ): Promise<Work[]> {
    const work: Work[] = [];
    for (const [key, { rule, items }] of groups(events)) {
      const counts = await store.addToBurst(
        key,
        items.map(({ event }) => ({ eventId: event.eventId, time: event.time })),
        policy.burstWindowMs,
      );
      items.forEach((item, position) => {
        const { count, peak } = counts[position] ?? { count: 0, peak: 0 };
        // Every event of a window that reached the threshold joins, however late it arrived.
        if (peak < rule.threshold) return;
        work.push({
          index: item.index,
          event: item.event,
          subject: subjectOfBurst(rule, peak, policy.burstWindowMs, localize?.(item.event.eventName)?.translator),
          initialCount: count,
        });
      });
    }
    return work;
  }

  return { groups, judge };
}
