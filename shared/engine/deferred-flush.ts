/**
 * Deferred mode (replay): incidents are held in their latest state and each published once, on `flush`, when
 * no event still to come can change it. A late event that joins one an earlier flush published sends an update.
 */
import type { Alert, Enrichment, PrincipalContext } from '../alerts/model';
import type { Policy } from '../classify/policy';
import { mapLimit } from '../concurrency';
import type { MetricsSink } from '../metrics';
import { isPagingSeverity } from '../playbook/types';
import { messageIdOf, type Delivery, type PageDecision } from './delivery';
import type { Publishing } from './publishing';

export interface DeferredFlush {
  /** Keeps a generation, in its latest state, until it is published. */
  hold(alert: Alert): void;
  /**
   * Publishes the incidents no event at or after `settledThrough` (event time) can change, in first-seen order,
   * or every incident when it is not given; returns the new alerts published.
   */
  flush(settledThrough?: number): Promise<readonly Alert[]>;
  /** Forgets the published incidents last seen before `time`: no event still to come can join them. */
  forgetPublishedBefore(time: number): void;
}

export interface DeferredFlushDeps {
  readonly policy: Policy;
  readonly delivery: Delivery;
  readonly publishing: Publishing;
  readonly metrics: MetricsSink;
  readonly publishConcurrency: number;
}

/** What a flush before the end sent of an incident. */
interface PublishedEarlier {
  lastSeen: number;
  updates: number;
  readonly paged: boolean;
  readonly enrichment?: Enrichment;
  readonly context?: PrincipalContext;
}

const byFirstSeen = (a: Alert, b: Alert): number => a.firstSeen.localeCompare(b.firstSeen) || a.id.localeCompare(b.id);

export function createDeferredFlush({
  policy,
  delivery,
  publishing,
  metrics,
  publishConcurrency,
}: DeferredFlushDeps): DeferredFlush {
  /** Every incident generation by alert id, in its latest state, until it is published. */
  const deferred = new Map<string, Alert>();
  /**
   * The alerts a flush before the end published: their lastSeen time (to forget them past the horizon), the
   * last update number sent, and what the first message said of paging and answers.
   */
  const publishedEarlier = new Map<string, PublishedEarlier>();

  /** Whether an event at or after `time` can still join the incident. */
  const open = (alert: Alert, time: number): boolean =>
    time - Date.parse(alert.lastSeen) <= policy.aggregationWindowMs &&
    time - Date.parse(alert.firstSeen) <= policy.maxIncidentMs;

  /** A late event (see TriageRun) joined an incident already out: an update, on the alerts topic only, with the incident's page flag and answer as sent, and its own update number (a stable message id). */
  async function sendLateUpdate(alert: Alert, earlier: PublishedEarlier): Promise<void> {
    earlier.updates += 1;
    earlier.lastSeen = Date.parse(alert.lastSeen);
    const update: Alert = {
      ...alert,
      updates: earlier.updates,
      paged: earlier.paged,
      enrichment: earlier.enrichment ?? alert.enrichment,
      context: earlier.context ?? alert.context,
    };
    if (
      (await delivery.sendOnce({
        id: messageIdOf(update, 'update', 'alerts'),
        route: 'alerts',
        alert: update,
        kind: 'update',
      })) === 'sent'
    )
      metrics.count('AlertUpdatesPublished');
  }

  async function flush(settledThrough = Number.POSITIVE_INFINITY): Promise<readonly Alert[]> {
    // Final incidents, in first-seen order, up to the first one still open: the order of one flush at the end.
    const all = [...deferred.values()].sort(byFirstSeen);
    const firstOpen = all.findIndex((alert) => open(alert, settledThrough));
    const alerts = firstOpen < 0 ? all : all.slice(0, firstOpen);
    for (const alert of alerts) deferred.delete(alert.id);
    // Page decisions in time order (the cap goes to the first), enrichment concurrently, output in order: replay is deterministic.
    const decided: { alert: Alert; page?: PageDecision }[] = [];
    for (const alert of alerts) {
      if (publishedEarlier.has(alert.id)) continue;
      if (!isPagingSeverity(alert.severity)) {
        decided.push({ alert });
        continue;
      }
      const page = await delivery.decidePage(alert, delivery.hourOf(Date.parse(alert.firstSeen)));
      decided.push({ alert: publishing.withPage(alert, page), page });
    }
    const finished = await mapLimit(decided, publishConcurrency, async ({ alert, page }) => ({
      alert: await publishing.enrich(alert),
      page,
    }));
    let next = 0;
    for (const alert of alerts) {
      const earlier = publishedEarlier.get(alert.id);
      if (earlier !== undefined) {
        await sendLateUpdate(alert, earlier);
        continue;
      }
      const { alert: published, page } = finished[next++] as (typeof finished)[number];
      await delivery.sendOnce({
        id: messageIdOf(published, 'new', 'alerts'),
        route: 'alerts',
        alert: published,
        kind: 'new',
      });
      metrics.count('AlertsPublished');
      if (page !== undefined) await delivery.sendPage(page, published);
      if (settledThrough !== Number.POSITIVE_INFINITY) {
        publishedEarlier.set(published.id, {
          lastSeen: Date.parse(published.lastSeen),
          updates: published.updates,
          paged: published.paged,
          enrichment: published.enrichment,
          context: published.context,
        });
      }
    }
    return finished.map(({ alert }) => alert);
  }

  return {
    hold: (alert) => {
      deferred.set(alert.id, alert);
    },
    flush,
    forgetPublishedBefore: (time) => {
      for (const [id, { lastSeen }] of publishedEarlier) if (lastSeen < time) publishedEarlier.delete(id);
    },
  };
}
