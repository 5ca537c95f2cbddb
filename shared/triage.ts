/**
 * The triage pipeline, the same for the Lambda and for `q-triage replay`:
 * validate → de-duplicate → classify → stateful rules → aggregate into incidents → enrich → publish.
 * Everything that touches the outside world is injected. Each stage is a module of shared/engine/: admission,
 * bursts, incidents (persistence), delivery (each message once, the page cap), publishing, the stateful step,
 * the replay run and the deferred flush; this module wires them.
 */
import { createClassifier } from './classify/classify';
import { createAdmission } from './engine/admission';
import { createBursts } from './engine/bursts';
import { createDeferredFlush } from './engine/deferred-flush';
import { createDelivery } from './engine/delivery';
import { createIncidents } from './engine/incidents';
import { createPublishing, type FollowUp } from './engine/publishing';
import type { Generation } from './engine/incidents';
import { openReplayRun } from './engine/replay-run';
import { SeenEvents } from './engine/seen-events';
import { createStatefulStep } from './engine/stateful';
import { createSweep } from './engine/sweep';
import type {
  BatchResult,
  InputOutcome,
  ProcessOptions,
  Published,
  Settle,
  Triage,
  TriageDeps,
  TriageInput,
} from './engine/types';

export type {
  ActivitySink,
  BatchResult,
  ContextProvider,
  Enricher,
  InputOutcome,
  Notifier,
  ProcessOptions,
  SettledInput,
  Triage,
  TriageDeps,
  TriageInput,
  TriageRun,
  TriageRunOptions,
} from './engine/types';
export { IncidentConflictError } from './engine/incidents';

export function createTriage(deps: TriageDeps): Triage {
  const { policy, store, notifier, clock, logger, metrics } = deps;
  const mode = deps.mode ?? 'immediate';
  const pagesPerHour = deps.pagesPerHour ?? 20;
  const publishConcurrency = deps.publishConcurrency ?? 8;
  const admission = createAdmission({
    policy,
    classify: createClassifier(policy, deps.self),
    store,
    clock,
    logger,
    metrics,
    activity: deps.activity,
  });
  const bursts = createBursts({ policy, store });
  const incidents = createIncidents({
    store,
    policy,
    logger,
    clock,
    updateIntervalMs: deps.updateIntervalMs ?? 15 * 60_000,
  });
  const delivery = createDelivery({ store, notifier, clock, logger, metrics, pagesPerHour });
  const publishing = createPublishing({
    delivery,
    incidents,
    clock,
    logger,
    metrics,
    pagesPerHour,
    mode,
    enricher: deps.enricher,
    context: deps.context,
    reserveMs: deps.reserveMs ?? 0,
    publishConcurrency,
  });
  const deferred =
    mode === 'deferred'
      ? createDeferredFlush({ policy, delivery, publishing, metrics, publishConcurrency })
      : undefined;
  const stateful = createStatefulStep({
    policy,
    store,
    bursts,
    incidents,
    publishing,
    logger,
    metrics,
    hold: deferred?.hold,
    reserveMs: deps.reserveMs ?? 0,
    publishConcurrency,
    localizedText: deps.localizedText,
    flushActivity: admission.flushActivity,
  });

  async function process(inputs: readonly TriageInput[], options: ProcessOptions = {}): Promise<BatchResult> {
    const outcomes = new Array<InputOutcome>(inputs.length);
    const settle: Settle = (index, outcome) => {
      outcomes[index] = outcome;
    };
    const admitted = await admission.admit(inputs, 0, settle, new SeenEvents(true));
    const published = await stateful.run(admitted, settle, options.remainingMs);
    await admission.flushActivity('due');
    return { outcomes, published };
  }

  /** The sweep's sends (closing and held-back updates, never a page), with any answer-and-context follow-up after them. */
  async function sweepDelivery(key: string, generation: Generation): Promise<Published | undefined> {
    const followUps: FollowUp[] = [];
    const sent = await publishing.deliverGeneration(key, generation, followUps);
    if (followUps.length > 0) await publishing.deliverFollowUps(followUps, []);
    return sent;
  }

  return {
    process,
    open: (options) =>
      openReplayRun(
        { policy, store, logger, admission, bursts, stateful, forgetPublishedBefore: deferred?.forgetPublishedBefore },
        options,
      ),
    flush: async (settledThrough) => (deferred === undefined ? [] : deferred.flush(settledThrough)),
    sweep: createSweep({
      store,
      incidents,
      clock,
      logger,
      metrics,
      deliver: sweepDelivery,
      concurrency: publishConcurrency,
      reserveMs: deps.reserveMs ?? 0,
    }),
  };
}
