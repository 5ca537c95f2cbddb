/** The engine's stages for their unit tests: the default policy, the in-memory store, a fixed clock, a silent logger. */
import { sampleOf } from '../../shared/alerts/builder';
import { createClassifier } from '../../shared/classify/classify';
import { defaultPolicy } from '../../shared/classify/policy';
import { createSelfMatcher } from '../../shared/classify/self';
import { fixedClock } from '../../shared/clock';
import { contentDigest } from '../../shared/engine/fingerprint';
import type { Admitted } from '../../shared/engine/types';
import { normalizeEvent } from '../../shared/events';
import { createLogger } from '../../shared/logger';
import { CountingMetrics } from '../../shared/metrics';
import { MemoryStateStore } from '../../shared/state';
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
export function admittedOf(world: ReturnType<typeof engineWorld>, value: Record<string, unknown>, index = 0): Admitted {
  const result = normalizeEvent(value);
  if (!result.ok) throw new Error(result.reason);
  const event = result.event;
  return { index, id: `msg-${index}`, event, classification: world.classify(event), fingerprint: { eventId: event.eventId, digest: contentDigest(event), sample: sampleOf(event) } };
}
