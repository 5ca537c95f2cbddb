/**
 * Page first, enrich after: an alert's first message and its page go out as soon as the verdict is known, marked
 * `enrichmentFollows`; the playbook answer and the principal's context follow as one message of kind
 * `enrichment` for the same alert id, on the alerts topic only (a page is never sent twice). The follow-up has
 * its own stable message id, so the delivery records send it once. It is best effort: a slow or failed
 * enrichment costs the follow-up, never the page (docs/alerts.md, "Page first").
 */
import type { Alert } from '../alerts/model';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import { severityRank } from '../playbook/types';
import { messageIdOf, type Delivery } from './delivery';
import type { ContextProvider, Enricher } from './types';

export interface FollowUpDeps {
  readonly enricher?: Enricher;
  readonly context?: ContextProvider;
  readonly delivery: Delivery;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export interface AlertEnrichment {
  /**
   * The alert as its first message (or a rise's update) carries it: with the "turned off" answer when enrichment
   * is off, and marked `enrichmentFollows` when an answer or context will follow.
   */
  announce(alert: Alert): Alert;
  /** The alert with its answer and context, as far as its severity asks for them. */
  enrich(alert: Alert): Promise<Alert>;
  /** Enriches a sent alert and publishes the result as its `enrichment` message; returns the enriched alert, undefined if it failed. */
  followUp(alert: Alert): Promise<Alert | undefined>;
}

export function createAlertEnrichment(deps: FollowUpDeps): AlertEnrichment {
  const { enricher, context, delivery, logger, metrics } = deps;
  const wantsContext = (alert: Alert): boolean =>
    context !== undefined && severityRank(alert.severity) >= severityRank('MEDIUM');
  const turnedOff = enricher?.turnedOff;
  const wantsAnswer = (alert: Alert): boolean =>
    enricher !== undefined && turnedOff === undefined && alert.enrichment === undefined;
  const withTurnedOff = (alert: Alert): Alert =>
    turnedOff !== undefined && alert.enrichment === undefined ? { ...alert, enrichment: turnedOff } : alert;

  function announce(alert: Alert): Alert {
    const announced = withTurnedOff(alert);
    return wantsContext(announced) || wantsAnswer(announced) ? { ...announced, enrichmentFollows: true } : announced;
  }

  async function enrich(unenriched: Alert): Promise<Alert> {
    const alert = withTurnedOff(unenriched);
    const askContext = wantsContext(alert);
    const askAnswer = wantsAnswer(alert);
    if (!askContext && !askAnswer) return alert;
    const [enrichment, principalContext] = await Promise.all([
      askAnswer ? enricher?.enrich(alert) : Promise.resolve(alert.enrichment),
      askContext ? context?.describe(alert) : Promise.resolve(undefined),
    ]);
    if (askAnswer && enrichment !== undefined)
      metrics.count(enrichment.status === 'answered' ? 'EnrichmentAnswered' : 'EnrichmentFailed');
    return { ...alert, enrichment: enrichment ?? alert.enrichment, context: principalContext ?? alert.context };
  }

  async function followUp(alert: Alert): Promise<Alert | undefined> {
    try {
      const { enrichmentFollows: _sent, ...rest } = alert;
      const enriched = await enrich(rest);
      const sent = await delivery.sendOnce({
        id: messageIdOf(enriched, 'enrichment', 'alerts'),
        route: 'alerts',
        alert: enriched,
        kind: 'enrichment',
      });
      if (sent === 'sent') metrics.count('EnrichmentUpdatesPublished');
      logger.info('alert enrichment delivered', {
        alertId: alert.id,
        sent,
        answer: enriched.enrichment?.status,
        context: enriched.context !== undefined,
      });
      return enriched;
    } catch (error) {
      // The page and the first message are out; only the follow-up is lost (docs/alerts.md).
      metrics.count('EnrichmentUpdateFailures');
      logger.error('alert enrichment not delivered; the alert stands without it', {
        alertId: alert.id,
        error: error as Error,
      });
      return undefined;
    }
  }

  return { announce, enrich, followUp };
}
