/**
 * The stateful step, for admitted events in event-time order: burst rules, incidents (one per actor), publishing
 * (or holding, in deferred mode); then each event settled and the done ones marked processed. A failure fails
 * only the events it touched, with the reason, for the queue to retry.
 */
import { incidentKey, subjectOfEvent, type LocalizedSubject } from '../alerts/builder';
import type { TriageEvent } from '../events';
import type { Alert } from '../alerts/model';
import { mapLimit } from '../concurrency';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import { severityRank } from '../playbook/types';
import type { EventFingerprint, StateStore } from '../state/store';
import { isRoutine, type Bursts } from './bursts';
import type { Policy } from '../classify/policy';
import { eventIdReusedSubject } from './fingerprint';
import type { Generation, Incidents, Work } from './incidents';
import type { FollowUp, Publishing } from './publishing';
import type { Admitted, Published, RollupScope, Settle } from './types';
import { errorMessage, QTriageError } from '../errors';

/** Too little time is left to publish before the function's timeout: the records go back to the queue. */
class NearTimeoutError extends QTriageError {
  override readonly name = 'NearTimeoutError';
}

/** One incident per principal: every rule's events of an actor's episode are one story (docs/alerts.md). */
const actorKey = (event: TriageEvent): string => incidentKey(event.principal.key, 'actor');

/** Shared by every event that joined no alert (most of them): one empty list, not one each. */
const NO_ALERT_IDS: readonly string[] = Object.freeze([]);

export interface StatefulStep {
  /** Runs the admitted events (in event-time order) through the stateful rules, incidents and publishing; settles each. */
  run(admitted: readonly Admitted[], settle: Settle, remainingMs?: () => number): Promise<Published[]>;
}

export interface StatefulStepDeps {
  readonly policy: Policy;
  readonly store: StateStore;
  readonly bursts: Bursts;
  readonly incidents: Incidents;
  readonly publishing: Publishing;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Deferred mode: where each generation goes instead of being published. */
  readonly hold?: (alert: Alert) => void;
  /** Publishing stops when fewer than this many milliseconds remain before the caller's deadline. */
  readonly reserveMs: number;
  readonly publishConcurrency: number;
  /** Alert texts in the alert locale, loaded on first use (see shared/playbook/localized-table.ts). */
  readonly localizedText?: () => Promise<(operation: string) => LocalizedSubject | undefined>;
  /** Writes the activity roll-ups this container holds (before an alert's context reads the log). */
  readonly flushActivity?: (scope: RollupScope) => Promise<void>;
}

export function createStatefulStep(deps: StatefulStepDeps): StatefulStep {
  const { policy, store, bursts, incidents, publishing, logger, metrics, hold, reserveMs, publishConcurrency } = deps;

  let localized: Promise<(operation: string) => LocalizedSubject | undefined> | undefined;
  async function localizer(): Promise<(operation: string) => LocalizedSubject | undefined> {
    localized ??= (deps.localizedText?.() ?? Promise.resolve(() => undefined)).catch((error: unknown) => {
      // Texts stay in English rather than fail triage; the next container tries again.
      logger.warn('localized playbook texts unavailable; alerts stay in English', { error: error as Error });
      return () => undefined;
    });
    return localized;
  }

  async function run(admitted: readonly Admitted[], settle: Settle, remainingMs?: () => number): Promise<Published[]> {
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
      for (const item of await bursts.judge(others, localize)) addWork(actorKey(item.event), item);
    } catch (error) {
      // Without the counters no burst can be judged: every event goes back to the queue, none is half-counted.
      logger.error('burst counters failed; records will be retried', { error: error as Error });
      fail(
        others.map((item) => item.index),
        `state store: ${errorMessage(error)}`,
      );
    }
    for (const { index, event, classification, reused } of others) {
      if (failedIndexes.has(index)) continue;
      if (reused !== undefined) {
        addWork(actorKey(event), {
          index,
          event,
          subject: eventIdReusedSubject(reused.sample !== undefined),
          initialCount: 1,
          evidence: reused.sample,
        });
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
    const followUps: FollowUp[] = [];
    await mapLimit([...work.entries()], publishConcurrency, async ([key, items]) => {
      let generations: Generation[];
      try {
        // In event time (stable: a burst's item before the event's own at the same time), so the earliest event
        // opens the actor's incident however the events were batched.
        generations = await incidents.apply(
          key,
          [...items].sort((a, b) => a.event.time - b.event.time),
        );
      } catch (error) {
        logger.error('incident update failed; records will be retried', { incidentKey: key, error: error as Error });
        fail(
          items.map((item) => item.index),
          `state store: ${errorMessage(error)}`,
        );
        return;
      }
      for (const generation of generations) {
        for (const index of generation.eventIndexes) {
          const ids = alertIdsByIndex.get(index) ?? [];
          ids.push(generation.alert.id);
          alertIdsByIndex.set(index, ids);
        }
        if (hold !== undefined) {
          hold(generation.alert);
          continue;
        }
        try {
          if (remainingMs !== undefined && remainingMs() < reserveMs)
            throw new NearTimeoutError('near the function timeout: left for retry');
          const message = await publishing.deliverGeneration(key, generation, followUps);
          if (message !== undefined) published.push(message);
        } catch (error) {
          metrics.count('PublishFailures');
          logger.error('alert not delivered; records will be retried', {
            incidentKey: key,
            alertId: generation.alert.id,
            error: error as Error,
          });
          fail(generation.eventIndexes, `publish: ${errorMessage(error)}`);
        }
      }
    });

    if (followUps.length > 0) {
      // The context reads the activity log: this container's routine counts of those principals first.
      await deps.flushActivity?.({ principalKeys: [...new Set(followUps.map(({ alert }) => alert.principal.key))] });
      await publishing.deliverFollowUps(followUps, published, remainingMs);
    }

    const done: EventFingerprint[] = [];
    for (const { index, id, event, classification, fingerprint, reused } of admitted) {
      const failure = failedIndexes.get(index);
      if (failure !== undefined) {
        settle(index, { id, status: 'failed', reason: failure, event });
        continue;
      }
      const alertIds = alertIdsByIndex.get(index) ?? NO_ALERT_IDS;
      settle(index, { id, status: alertIds.length > 0 ? 'alerted' : 'classified', event, classification, alertIds });
      // Routine events get no marker (bursts.ts, isRoutine); a reused id's record does, to be found again.
      if (!isRoutine(policy, event, classification) || reused !== undefined) done.push(fingerprint);
    }
    if (failedIndexes.size > 0) metrics.count('RecordsRetried', failedIndexes.size);
    if (done.length > 0) await markProcessed(admitted, done, settle);
    return published;
  }

  /**
   * Marks the done events processed. If that write fails, they go back to the queue: the retry finds every
   * message delivered and every count already made, so it sends nothing twice.
   */
  async function markProcessed(
    admitted: readonly Admitted[],
    done: readonly EventFingerprint[],
    settle: Settle,
  ): Promise<void> {
    try {
      await store.markProcessed(done);
    } catch (error) {
      logger.error('processed markers not written; records will be retried', { error: error as Error });
      const reason = `state store: ${errorMessage(error)}`;
      const doneIds = new Set(done.map((fingerprint) => fingerprint.eventId));
      for (const { index, id, event } of admitted)
        if (doneIds.has(event.eventId)) settle(index, { id, status: 'failed', reason, event });
    }
  }

  return { run };
}
