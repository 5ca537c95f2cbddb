/**
 * Publishing: what an incident generation owes, sent: its first message and page, or its latest update and the
 * page of a rise, as soon as the verdict is known; then the incident's record of what went out
 * (engine/incidents.ts); then, once the batch's pages are out, the answer and context (engine/enrichment.ts).
 */
import type { Alert } from '../alerts/model';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { OutgoingMessage } from '../notify/types';
import { mapLimit } from '../concurrency';
import { isPagingSeverity } from '../playbook/types';
import { messageIdOf, pageIdOf, type Delivery, type DeliveryResult, type PageDecision } from './delivery';
import { createAlertEnrichment } from './enrichment';
import type { Generation, Incidents } from './incidents';
import type { ContextProvider, Enricher, Published } from './types';

export interface Publishing {
  /** Adds the playbook answer and the principal's context, as far as the alert's severity asks for them. */
  enrich(alert: Alert): Promise<Alert>;
  /** The alert as its page decision leaves it: paged, or with the reason it was not. */
  withPage(alert: Alert, page: PageDecision): Alert;
  /**
   * Sends what the generation still owes and records it on the stored incident; what was published, if anything.
   * A message sent before its answer and context queues their follow-up in `followUps`.
   */
  deliverGeneration(key: string, generation: Generation, followUps: FollowUp[]): Promise<Published | undefined>;
  /**
   * The answers and context of a batch's alerts, once its pages and first messages are out; the incident keeps
   * the answer for later updates. Best effort: a failure is logged and counted, the records stay done.
   */
  deliverFollowUps(followUps: readonly FollowUp[], published: Published[], remainingMs?: () => number): Promise<void>;
}

/** An alert sent before its answer and context, with its incident key (`stored`: the incident record is its generation). */
export interface FollowUp {
  readonly key: string;
  readonly alert: Alert;
  readonly stored: boolean;
}

export interface PublishingDeps {
  readonly delivery: Delivery;
  readonly incidents: Incidents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly pagesPerHour: number;
  /** Replay (deferred) counts a page in the hour its incident began, since it sends nothing live. */
  readonly mode: 'immediate' | 'deferred';
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  /** Follow-ups are skipped when fewer than this many milliseconds remain before the caller's deadline (default 0). */
  readonly reserveMs?: number;
  /** Follow-ups sent at once (default 8). */
  readonly publishConcurrency?: number;
}

export function createPublishing(deps: PublishingDeps): Publishing {
  const { delivery, incidents, clock, logger, metrics, pagesPerHour, mode } = deps;
  const reserveMs = deps.reserveMs ?? 0;
  const publishConcurrency = deps.publishConcurrency ?? 8;
  const enrichment = createAlertEnrichment({
    enricher: deps.enricher,
    context: deps.context,
    delivery,
    logger,
    metrics,
  });

  const withPage = (alert: Alert, page: PageDecision): Alert =>
    page.paged
      ? { ...alert, paged: true }
      : { ...alert, reasons: [...alert.reasons, `not paged: the cap of ${pagesPerHour} pages per hour was reached`] };

  /** Sends the message and, if any, the page, both attempted whatever becomes of the other. */
  async function send(
    message: OutgoingMessage,
    page: PageDecision | undefined,
    alert: Alert,
  ): Promise<{ sent: DeliveryResult; paged: DeliveryResult }> {
    const [sent, paged] = await Promise.allSettled([
      delivery.sendOnce(message),
      page === undefined ? Promise.resolve('already' as const) : delivery.sendPage(page, alert),
    ]);
    if (sent.status === 'rejected') throw sent.reason;
    if (paged.status === 'rejected') throw paged.reason;
    return { sent: sent.value, paged: paged.value };
  }

  /**
   * An incident's first message on the alerts topic and, for HIGH and CRITICAL within the cap, its page; each
   * sent once, as soon as the verdict is known: the answer and context follow. The cap counts the hour of
   * sending (replay, which sends nothing live, the hour the incident began).
   */
  async function deliverNew(generation: Generation): Promise<{ alert: Alert; sent: DeliveryResult }> {
    let alert: Alert = generation.alert.paged ? { ...generation.alert, paged: false } : generation.alert;
    let page: PageDecision | undefined;
    if (isPagingSeverity(alert.severity)) {
      const hourStart = delivery.hourOf(mode === 'deferred' ? Date.parse(alert.firstSeen) : clock.now());
      page = await delivery.decidePage(alert, hourStart);
      alert = withPage(alert, page);
    }
    alert = enrichment.announce(alert);
    const message: OutgoingMessage = { id: messageIdOf(alert, 'new', 'alerts'), route: 'alerts', alert, kind: 'new' };
    const { sent, paged } = await send(message, page, alert);
    if (sent === 'sent') metrics.count('AlertsPublished');
    logger.info('alert delivered', {
      alertId: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      paged: alert.paged,
      count: alert.count,
      sent,
      page: paged,
    });
    return { alert, sent };
  }

  async function deliverGeneration(
    key: string,
    generation: Generation,
    followUps: FollowUp[],
  ): Promise<Published | undefined> {
    if (generation.publishNew) {
      const { alert, sent } = await deliverNew(generation);
      if (generation.stored) await incidents.markAnnounced(key, alert, isPagingSeverity(alert.severity));
      if (alert.enrichmentFollows === true) followUps.push({ key, alert, stored: generation.stored });
      return sent === 'sent' ? { alert, kind: 'new' } : undefined;
    }
    if (!generation.publishUpdate) return undefined;
    let alert = generation.alert;
    let page: PageDecision | undefined;
    if (generation.pageRise) {
      page = await delivery.decidePage(alert, delivery.hourOf(clock.now()), {
        id: pageIdOf(alert, generation.pagedBefore),
        kind: 'update',
      });
      alert = withPage(alert, page);
      alert = enrichment.announce(alert);
    }
    const message: OutgoingMessage = {
      id: messageIdOf(alert, 'update', 'alerts'),
      route: 'alerts',
      alert,
      kind: 'update',
    };
    const { sent, paged } = await send(message, page, alert);
    if (sent === 'sent') {
      metrics.count('AlertUpdatesPublished');
      logger.info('alert update published', {
        alertId: alert.id,
        severity: alert.severity,
        updates: alert.updates,
        count: alert.count,
        page: paged,
      });
    }
    if (generation.stored) await incidents.markAnnounced(key, alert, page !== undefined);
    if (alert.enrichmentFollows === true) followUps.push({ key, alert, stored: generation.stored });
    return sent === 'sent' ? { alert, kind: 'update' } : undefined;
  }

  async function deliverFollowUps(
    followUps: readonly FollowUp[],
    published: Published[],
    remainingMs?: () => number,
  ): Promise<void> {
    await mapLimit(followUps, publishConcurrency, async ({ key, alert, stored }) => {
      if (remainingMs !== undefined && remainingMs() < reserveMs) {
        metrics.count('EnrichmentUpdateFailures');
        logger.warn('alert enrichment skipped: near the function timeout', { alertId: alert.id });
        return;
      }
      const enriched = await enrichment.followUp(alert);
      if (enriched === undefined) return;
      published.push({ alert: enriched, kind: 'enrichment' });
      if (stored && enriched.enrichment !== undefined) {
        await incidents.markAnnounced(key, enriched, false).catch((error: unknown) => {
          logger.warn('playbook answer not kept on the incident; later updates go without it', {
            alertId: alert.id,
            error: error as Error,
          });
        });
      }
    });
  }

  return { enrich: enrichment.enrich, withPage, deliverGeneration, deliverFollowUps };
}
