/**
 * The incident sweep: what no event brings. A scheduled invocation finds, through the store's due index (never a
 * scan), the incidents whose episode ended or whose held-back update is due, and sends each its one message: the
 * closing update (final counts, operations, worst severity) or the held-back update. Never a page. Each message
 * goes through the delivery records under its update number's id, so concurrent sweeps, retries and a batch
 * closing the same incident send it once; a failure is left to the next sweep, which finds the incident due still.
 */
import type { Alert } from '../alerts/model';
import type { Clock } from '../clock';
import { mapLimit } from '../concurrency';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { StateStore } from '../state/store';
import type { Generation, Incidents } from './incidents';

/** Incidents handled per sweep: the rest are due still, and the next sweep takes them. */
export const SWEEP_LIMIT = 200;

export interface SweepResult {
  /** Incidents the index named due. */
  readonly due: number;
  /** Messages sent now (closing or held-back updates). */
  readonly sent: readonly Alert[];
  /** Incidents whose message could not be sent: the next sweep finds them due still. */
  readonly failed: number;
}

export interface SweepDeps {
  readonly store: StateStore;
  readonly incidents: Incidents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Sends what a generation owes and records it on the incident (the engine's own delivery path). */
  readonly deliver: (key: string, generation: Generation) => Promise<{ readonly alert: Alert } | undefined>;
  readonly concurrency?: number;
  /** No incident is started when fewer than this many milliseconds remain: it stays due for the next sweep. */
  readonly reserveMs?: number;
}

export type Sweep = (options?: { readonly remainingMs?: () => number }) => Promise<SweepResult>;

export function createSweep(deps: SweepDeps): Sweep {
  const { store, incidents, clock, logger, metrics, deliver } = deps;
  const reserveMs = deps.reserveMs ?? 0;
  return async ({ remainingMs } = {}) => {
    const keys = await store.dueIncidents(clock.now(), SWEEP_LIMIT);
    const sent: Alert[] = [];
    let failed = 0;
    await mapLimit(keys, deps.concurrency ?? 8, async (key) => {
      if (remainingMs !== undefined && remainingMs() < reserveMs) return;
      try {
        const generation = await incidents.owedWithoutEvents(key);
        if (generation === undefined) return;
        const message = await deliver(key, generation);
        if (message === undefined) return;
        sent.push(message.alert);
        if (message.alert.closedAt !== undefined) metrics.count('IncidentsClosed');
        logger.info('incident sweep sent', {
          incidentKey: key,
          alertId: message.alert.id,
          updates: message.alert.updates,
          closed: message.alert.closedAt !== undefined,
        });
      } catch (error) {
        failed += 1;
        metrics.count('PublishFailures');
        logger.error('incident sweep could not send; the next sweep retries', {
          incidentKey: key,
          error: error as Error,
        });
      }
    });
    return { due: keys.length, sent, failed };
  };
}
