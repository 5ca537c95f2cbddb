/**
 * Publishing: what an incident generation owes, sent: enrichment, its first message and page, or its latest
 * update and the page of a rise; then the incident's record of what went out (engine/incidents.ts).
 */
import type { Alert } from '../alerts/model';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { OutgoingMessage } from '../notify/types';
import { isPagingSeverity, severityRank } from '../playbook/types';
import { messageIdOf, pageIdOf, type Delivery, type DeliveryResult, type PageDecision } from './delivery';
import type { Generation, Incidents } from './incidents';
import type { ContextProvider, Enricher, Published } from './types';

export interface Publishing {
  /** Adds the playbook answer and the principal's context, as far as the alert's severity asks for them. */
  enrich(alert: Alert): Promise<Alert>;
  /** The alert as its page decision leaves it: paged, or with the reason it was not. */
  withPage(alert: Alert, page: PageDecision): Alert;
  /** Sends what the generation still owes and records it on the stored incident; what was published, if anything. */
  deliverGeneration(key: string, generation: Generation): Promise<Published | undefined>;
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
}

export function createPublishing(deps: PublishingDeps): Publishing {
  const { delivery, incidents, clock, logger, metrics, pagesPerHour, mode, enricher, context: contextProvider } = deps;

  async function enrich(alert: Alert): Promise<Alert> {
    const wantsContext = contextProvider !== undefined && severityRank(alert.severity) >= severityRank('MEDIUM');
    const wantsEnrichment = enricher !== undefined && alert.enrichment === undefined;
    if (!wantsContext && !wantsEnrichment) return alert;
    const [enrichment, context] = await Promise.all([
      wantsEnrichment ? enricher?.enrich(alert) : Promise.resolve(alert.enrichment),
      wantsContext ? contextProvider?.describe(alert) : Promise.resolve(undefined),
    ]);
    if (wantsEnrichment && enrichment !== undefined) metrics.count(enrichment.status === 'answered' ? 'EnrichmentAnswered' : 'EnrichmentFailed');
    return { ...alert, enrichment: enrichment ?? alert.enrichment, context: context ?? alert.context };
  }

  const withPage = (alert: Alert, page: PageDecision): Alert =>
    page.paged ? { ...alert, paged: true } : { ...alert, reasons: [...alert.reasons, `not paged: the cap of ${pagesPerHour} pages per hour was reached`] };

  /** Sends the message and, if any, the page, both attempted whatever becomes of the other. */
  async function send(message: OutgoingMessage, page: PageDecision | undefined, alert: Alert): Promise<{ sent: DeliveryResult; paged: DeliveryResult }> {
    const [sent, paged] = await Promise.allSettled([delivery.sendOnce(message), page === undefined ? Promise.resolve('already' as const) : delivery.sendPage(page, alert)]);
    if (sent.status === 'rejected') throw sent.reason;
    if (paged.status === 'rejected') throw paged.reason;
    return { sent: sent.value, paged: paged.value };
  }

  /**
   * An incident's first message on the alerts topic and, for HIGH and CRITICAL within the cap, its page; each
   * sent once. The cap counts the hour of sending (replay, which sends nothing live, the hour the incident began).
   */
  async function deliverNew(generation: Generation): Promise<{ alert: Alert; sent: DeliveryResult }> {
    let alert: Alert = generation.alert.paged ? { ...generation.alert, paged: false } : generation.alert;
    let page: PageDecision | undefined;
    if (isPagingSeverity(alert.severity)) {
      const hourStart = delivery.hourOf(mode === 'deferred' ? Date.parse(alert.firstSeen) : clock.now());
      page = await delivery.decidePage(alert, hourStart);
      alert = withPage(alert, page);
    }
    alert = await enrich(alert);
    const message: OutgoingMessage = { id: messageIdOf(alert, 'new', 'alerts'), route: 'alerts', alert, kind: 'new' };
    const { sent, paged } = await send(message, page, alert);
    if (sent === 'sent') metrics.count('AlertsPublished');
    logger.info('alert delivered', { alertId: alert.id, rule: alert.rule, severity: alert.severity, paged: alert.paged, count: alert.count, sent, page: paged });
    return { alert, sent };
  }

  async function deliverGeneration(key: string, generation: Generation): Promise<Published | undefined> {
    if (generation.publishNew) {
      const { alert, sent } = await deliverNew(generation);
      if (generation.stored) await incidents.markAnnounced(key, alert, isPagingSeverity(alert.severity));
      return sent === 'sent' ? { alert, kind: 'new' } : undefined;
    }
    if (!generation.publishUpdate) return undefined;
    let alert = generation.alert;
    let page: PageDecision | undefined;
    if (generation.pageRise) {
      page = await delivery.decidePage(alert, delivery.hourOf(clock.now()), { id: pageIdOf(alert, generation.pagedBefore), kind: 'update' });
      alert = await enrich(withPage(alert, page));
    }
    const message: OutgoingMessage = { id: messageIdOf(alert, 'update', 'alerts'), route: 'alerts', alert, kind: 'update' };
    const { sent, paged } = await send(message, page, alert);
    if (sent === 'sent') {
      metrics.count('AlertUpdatesPublished');
      logger.info('alert update published', { alertId: alert.id, severity: alert.severity, updates: alert.updates, count: alert.count, page: paged });
    }
    if (generation.stored) await incidents.markAnnounced(key, alert, page !== undefined);
    return sent === 'sent' ? { alert, kind: 'update' } : undefined;
  }

  return { enrich, withPage, deliverGeneration };
}
