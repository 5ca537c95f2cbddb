/**
 * Sends each SNS message once, and pages within the cap. Every message (alert, page, update, page-cap
 * summary) has a stable id; its delivery record in the state store is claimed before the send and marked
 * after it, so a retry after a partial failure (one topic down, a throttled bookkeeping write, a crash)
 * sends only what is missing. Pages hold one of the hour's slots (hour of sending) from just before the
 * send, and give it back if the send fails: only delivered pages use up the cap.
 */
import type { Alert } from '../alerts/model';
import { sleep as realSleep, type Clock } from '../clock';
import { stableId } from '../ids';
import type { Logger } from '../logger';
import type { MetricsSink } from '../metrics';
import type { Notifier, OutgoingMessage, PublishKind, Route } from '../notify/types';
import type { StateStore } from '../state/store';
import { QTriageError } from '../errors';
import { retry, type RetryPolicy } from '../retry';

/** How long a claim keeps other writers off a message: shorter than the queue's visibility timeout (180 s). */
export const DELIVERY_LEASE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MARK_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 100, maxDelayMs: 800 };

/** Another container holds the message's claim right now: the record is retried, and then finds it delivered. */
export class DeliveryInProgressError extends QTriageError {
  override readonly name = 'DeliveryInProgressError';
}

export const messageIdOf = (alert: Alert, kind: PublishKind, route: Route): string =>
  stableId(alert.id, kind, kind === 'new' ? '' : String(alert.updates), route);

/**
 * An incident's page: the first (whether it opened at HIGH or rose to it) keeps the id of a new alert's page;
 * the one rise after it (to CRITICAL) has its own, so each pages once.
 */
export const pageIdOf = (alert: Alert, pagedBefore: boolean): string =>
  pagedBefore ? stableId(alert.id, 'page', alert.severity, 'paging') : messageIdOf(alert, 'new', 'paging');

export interface DeliveryDeps {
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly pagesPerHour: number;
  /** Waits between attempts at the delivered mark (injected by tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What became of a message: sent now, sent before (by this or another container), or skipped (busy summary). */
export type DeliveryResult = 'sent' | 'already';

export interface PageDecision {
  readonly paged: boolean;
  /** Whether the page was delivered before: nothing to send. */
  readonly delivered: boolean;
  readonly message: OutgoingMessage;
  readonly hourStart: number;
}

export interface Delivery {
  /** Sends the message unless its record says delivered; throws when it could not be sent (or is being sent elsewhere). */
  sendOnce(message: OutgoingMessage): Promise<DeliveryResult>;
  /**
   * Whether a new alert pages: its page was delivered before, or it holds a slot of the sending hour. Without a
   * slot, the hour's cap summary is sent (once per hour, retried by the records that need it until it is).
   */
  decidePage(
    alert: Alert,
    hourStart: number,
    page?: { readonly id: string; readonly kind: PublishKind },
  ): Promise<PageDecision>;
  /** Sends a page decided by decidePage, with the alert as finally built; a failed send gives its slot back. */
  sendPage(decision: PageDecision, alert: Alert): Promise<DeliveryResult>;
  hourOf(time: number): number;
}

export function createDelivery(deps: DeliveryDeps): Delivery {
  const { store, notifier, clock, logger, metrics, pagesPerHour } = deps;
  const sleep = deps.sleep ?? realSleep;

  async function markDelivered(message: OutgoingMessage): Promise<void> {
    try {
      await retry(MARK_RETRY, () => store.markDelivered(message.id), { retryable: () => true, sleep });
    } catch (error) {
      // SNS has the message: failing the record would send it again. The claim's lease keeps a retry off it
      // for DELIVERY_LEASE_MS; only a retry after that repeats it, with the same messageId.
      logger.error('delivery record not written after the message was sent', {
        messageId: message.id,
        alertId: message.alert.id,
        error: error as Error,
      });
      metrics.count('DeliveryRecordFailures');
    }
  }

  async function send(message: OutgoingMessage): Promise<void> {
    try {
      await notifier.send(message);
    } catch (error) {
      await store.releaseDelivery(message.id).catch((releaseError: unknown) => {
        logger.warn('delivery claim not released; it expires on its own', {
          messageId: message.id,
          error: releaseError as Error,
        });
      });
      throw error;
    }
    await markDelivered(message);
  }

  async function sendOnce(message: OutgoingMessage): Promise<DeliveryResult> {
    const claim = await store.claimDelivery(message.id, clock.now(), DELIVERY_LEASE_MS);
    if (claim === 'delivered') return 'already';
    if (claim === 'busy')
      throw new DeliveryInProgressError(
        `message ${message.id} of alert ${message.alert.id} is being sent by another invocation`,
      );
    await send(message);
    return 'sent';
  }

  function capSummary(alert: Alert, hourStart: number): Alert {
    return {
      ...alert,
      id: stableId('page-cap', String(hourStart)),
      rule: 'page-cap',
      title: `Paging cap reached: ${pagesPerHour} pages this hour; further HIGH/CRITICAL alerts go to the alerts topic only`,
      description:
        'The page cap protects responders from an alert storm. Review the alerts topic for everything raised since.',
      paged: true,
      count: 0,
      updates: 0,
      eventIds: [],
      eventNames: {},
      samples: [],
      firstSeen: new Date(hourStart).toISOString(),
      lastSeen: new Date(hourStart).toISOString(),
    };
  }

  /** The hour's summary on the paging and the alerts topic. Busy: another record is sending it, and retries it if it fails. */
  async function sendCapSummary(alert: Alert, hourStart: number): Promise<void> {
    const summary = capSummary(alert, hourStart);
    for (const route of ['paging', 'alerts'] as const) {
      const message: OutgoingMessage = { id: messageIdOf(summary, 'new', route), route, alert: summary, kind: 'new' };
      const claim = await store.claimDelivery(message.id, clock.now(), DELIVERY_LEASE_MS);
      if (claim !== 'claimed') continue;
      await send(message);
      if (route === 'paging') metrics.count('Pages');
      logger.info('page cap summary sent', { alertId: summary.id, route, hourStart });
    }
  }

  async function decidePage(
    alert: Alert,
    hourStart: number,
    page = { id: messageIdOf(alert, 'new', 'paging'), kind: 'new' as PublishKind },
  ): Promise<PageDecision> {
    const message: OutgoingMessage = { id: page.id, route: 'paging', alert, kind: page.kind };
    const claim = await store.claimDelivery(message.id, clock.now(), DELIVERY_LEASE_MS);
    if (claim === 'delivered') return { paged: true, delivered: true, message, hourStart };
    if (claim === 'busy')
      throw new DeliveryInProgressError(`page ${message.id} of alert ${alert.id} is being sent by another invocation`);
    if (await store.reservePage(hourStart, message.id, pagesPerHour))
      return { paged: true, delivered: false, message, hourStart };
    await store.releaseDelivery(message.id);
    metrics.count('PagesSuppressedByCap');
    await sendCapSummary(alert, hourStart);
    return { paged: false, delivered: false, message, hourStart };
  }

  async function sendPage(decision: PageDecision, alert: Alert): Promise<DeliveryResult> {
    if (decision.delivered || !decision.paged) return 'already';
    const message: OutgoingMessage = { ...decision.message, alert };
    try {
      await send(message);
    } catch (error) {
      await store.releasePage(decision.hourStart, message.id).catch((releaseError: unknown) => {
        logger.warn('page slot not released', { messageId: message.id, error: releaseError as Error });
      });
      throw error;
    }
    metrics.count('Pages');
    return 'sent';
  }

  return { sendOnce, decidePage, sendPage, hourOf: (time) => Math.floor(time / HOUR_MS) * HOUR_MS };
}
