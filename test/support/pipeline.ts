/** Builds pipelines for tests: real engine, recording notifier, fixed clock, silent logger. */
import type { Alert } from '../../shared/alerts/model';
import { defaultPolicy, type Policy } from '../../shared/classify/policy';
import { createSelfMatcher } from '../../shared/classify/self';
import { fixedClock } from '../../shared/clock';
import { createLogger } from '../../shared/logger';
import { CountingMetrics } from '../../shared/metrics';
import type { Notifier, OutgoingMessage, PublishKind } from '../../shared/notify/types';
import { MemoryStateStore, type StateStore } from '../../shared/state';
import { createTriage, type TriageDeps } from '../../shared/triage';

export interface RecordedMessage {
  readonly id: string;
  readonly alert: Alert;
  readonly kind: PublishKind;
}

/** Records what was sent: `messages` on the alerts topic, `pages` on the paging topic. `failNext` fails that many sends. */
export function recordingNotifier(): Notifier & {
  messages: RecordedMessage[];
  pages: RecordedMessage[];
  failNext: number;
} {
  const notifier = {
    messages: [] as RecordedMessage[],
    pages: [] as RecordedMessage[],
    failNext: 0,
    async send({ id, route, alert, kind }: OutgoingMessage) {
      if (notifier.failNext > 0) {
        notifier.failNext -= 1;
        throw new Error('SNS is down');
      }
      (route === 'alerts' ? notifier.messages : notifier.pages).push({ id, alert, kind });
    },
  };
  return notifier;
}

export const T0 = Date.parse('2026-11-20T14:00:00Z');

export function testPipeline(overrides: Partial<TriageDeps> & { policy?: Policy; store?: StateStore } = {}) {
  const notifier = recordingNotifier();
  const metrics = new CountingMetrics();
  const clock = fixedClock(T0);
  const deps: TriageDeps = {
    policy: defaultPolicy(),
    self: createSelfMatcher(['arn:aws:sts::*:assumed-role/q-triage-*', 'arn:aws:iam::*:role/q-triage-*']),
    store: new MemoryStateStore(),
    notifier,
    clock,
    logger: createLogger({ silent: true }),
    metrics,
    ...overrides,
  };
  return { triage: createTriage(deps), notifier, metrics, clock, deps };
}
