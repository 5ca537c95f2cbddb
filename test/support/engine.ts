/** The engine's stages for their unit tests: the default policy, the in-memory store, a fixed clock, a silent logger. */
import { sampleOf } from '../../shared/alerts/builder';
import { createClassifier } from '../../shared/classify/classify';
import { defaultPolicy } from '../../shared/classify/policy';
import { createSelfMatcher } from '../../shared/classify/self';
import { fixedClock } from '../../shared/clock';
import { createAdmission } from '../../shared/engine/admission';
import { createBursts } from '../../shared/engine/bursts';
import { createDelivery } from '../../shared/engine/delivery';
import { contentDigest } from '../../shared/engine/fingerprint';
import { createIncidents } from '../../shared/engine/incidents';
import { createPublishing } from '../../shared/engine/publishing';
import { createStatefulStep, type StatefulStepDeps } from '../../shared/engine/stateful';
import type { Admitted } from '../../shared/engine/types';
import { triageEvent } from './cloudtrail';
import { createLogger } from '../../shared/logger';
import { CountingMetrics } from '../../shared/metrics';
import { MemoryStateStore, type StateStore } from '../../shared/state';
import { recordingNotifier, T0 } from './pipeline';

/** The backend's own role, as the self matcher of the tests knows it. */
export const SELF_ROLE = 'arn:aws:sts::111122223333:assumed-role/q-triage-triage/session';

export function engineWorld() {
  const policy = defaultPolicy();
  return {
    policy,
    classify: createClassifier(policy, createSelfMatcher(['arn:aws:sts::*:assumed-role/q-triage-*'])),
    store: new MemoryStateStore(),
    notifier: recordingNotifier(),
    clock: fixedClock(T0),
    logger: createLogger({ silent: true }),
    metrics: new CountingMetrics(),
  };
}

/** A record as admission hands it on: normalised, classified and fingerprinted, at input position `index`. */
export function admittedOf(world: EngineWorld, value: Record<string, unknown>, index = 0): Admitted {
  const event = triageEvent(value);
  return {
    index,
    id: `msg-${index}`,
    event,
    classification: world.classify(event),
    fingerprint: { eventId: event.eventId, digest: contentDigest(event), sample: sampleOf(event) },
  };
}

export type EngineWorld = ReturnType<typeof engineWorld>;

export interface StageOptions extends Partial<Pick<StatefulStepDeps, 'hold' | 'reserveMs' | 'localizedText'>> {
  /** The store the stages use, made from the world's (to make one of its methods fail). */
  readonly store?: (store: StateStore) => StateStore;
  readonly pagesPerHour?: number;
}

/** Every stage of the engine over one world, wired as createTriage wires them (deferred when `hold` is given). */
export function engineStages(world: EngineWorld, options: StageOptions = {}) {
  const store = options.store?.(world.store) ?? world.store;
  const pagesPerHour = options.pagesPerHour ?? 20;
  const delivery = createDelivery({ ...world, store, pagesPerHour, sleep: async () => undefined });
  const incidents = createIncidents({ ...world, store, updateIntervalMs: 0 });
  const publishing = createPublishing({
    ...world,
    delivery,
    incidents,
    pagesPerHour,
    mode: options.hold === undefined ? 'immediate' : 'deferred',
  });
  const bursts = createBursts({ policy: world.policy, store });
  const stateful = createStatefulStep({
    ...world,
    store,
    bursts,
    incidents,
    publishing,
    reserveMs: options.reserveMs ?? 0,
    publishConcurrency: 4,
    hold: options.hold,
    localizedText: options.localizedText,
  });
  return { store, delivery, incidents, publishing, bursts, stateful, admission: createAdmission({ ...world, store }) };
}

/** The store with one method replaced by one that fails. */
export const failing =
  (method: 'addToBurst' | 'markProcessed' | 'getIncident') =>
  (store: StateStore): StateStore =>
    Object.assign(Object.create(store) as StateStore, { [method]: () => Promise.reject(new Error('throttled')) });
