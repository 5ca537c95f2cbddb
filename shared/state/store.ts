import type { BurstCount } from './burst-window';
import type { Alert, EventSample } from '../alerts/model';
import type { Severity } from '../playbook/types';

/** An open aggregation window: the alert as last published (or about to be), plus bookkeeping. */
export interface IncidentRecord {
  /** `<principalKey>#actor`: one incident per principal (see docs/alerts.md). */
  readonly key: string;
  /** Incremented on every write; writes are conditional on it (optimistic concurrency). */
  readonly version: number;
  readonly alert: Alert;
  /** The first message of the incident was delivered. */
  readonly published: boolean;
  /** The last update number delivered (0: none); `alert.updates` above it is an update still to send. */
  readonly announcedUpdates: number;
  /** The highest severity a page was decided for (sent, or held back by the cap); absent: none yet. */
  readonly pagedSeverity?: Severity;
  /** Epoch ms of the last message on the alerts topic (first alert or update): updates are rate-limited from it. */
  readonly announcedAt?: number;
  /** The update number of the incident's closing message, once it closed (engine/incidents.ts); absent while open. */
  readonly closedAtUpdate?: number;
  /**
   * Epoch ms (wall clock) from which the incident owes a message no event will bring: its closing update, or an
   * update held back by the interval. Absent when it owes none (not yet published, or closed and announced):
   * `dueIncidents` finds the others without a scan.
   */
  readonly dueAt?: number;
}

export interface TimedEventId {
  readonly eventId: string;
  readonly time: number;
}

/** An event as de-duplication knows it: its id, a digest of the fields AWS writes, and its evidence line. */
export interface EventFingerprint {
  readonly eventId: string;
  readonly digest: string;
  readonly sample: EventSample;
}

/** The digest of an idempotency marker written before markers carried one: it matches every record. */
export const ANY_DIGEST = '*';

/** Where an outgoing message stands: `claimed` by this writer now, `delivered` before, or `busy` (another writer holds it). */
export type DeliveryClaim = 'claimed' | 'delivered' | 'busy';

/**
 * Durable state of the pipeline. The memory implementation serves replay and tests; the DynamoDB one
 * serves the Lambda. Every write that two instances could race on is conditional or idempotent.
 */
export interface StateStore {
  /**
   * The fingerprints stored for those of these ids already triaged to the end (idempotency). An id may be
   * given more than once. A stored fingerprint with another digest is an eventID reused with different content.
   */
  processed(eventIds: readonly string[]): Promise<Map<string, EventFingerprint>>;
  markProcessed(events: readonly EventFingerprint[]): Promise<void>;
  /**
   * Adds events to a per-principal burst counter and returns, for each event in order, its window counts
   * (burst-window.ts). Idempotent per eventId: an event counted before (a redelivery, a retried batch,
   * another container) is not counted again.
   */
  addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<BurstCount[]>;
  getIncident(key: string): Promise<IncidentRecord | undefined>;
  /** Writes only if the stored version equals `expectedVersion` (undefined: no item). False on conflict. */
  putIncident(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
  /**
   * Keys of the incidents whose `dueAt` is at or before `now` (epoch ms), earliest first, at most `limit`. May lag
   * the latest writes (DynamoDB reads it from an index): callers re-read each incident before acting on it.
   */
  dueIncidents(now: number, limit: number): Promise<string[]>;
  /**
   * Takes the right to send one message for `leaseMs` (epoch ms `now`), unless it was delivered or another
   * writer's lease is running. A lease that ran out is taken over: its holder may have crashed.
   */
  claimDelivery(messageId: string, now: number, leaseMs: number): Promise<DeliveryClaim>;
  /** Records that the message was accepted by SNS: it is never sent again. */
  markDelivered(messageId: string): Promise<void>;
  /** Gives a claim back after a failed send, so that a retry need not wait for the lease. */
  releaseDelivery(messageId: string): Promise<void>;
  /**
   * Holds one of the `cap` page slots of the hour starting at `hourStart` (epoch ms of sending) for a
   * paging message. True if held (a message that holds one already keeps it), false when the hour is full.
   */
  reservePage(hourStart: number, messageId: string, cap: number): Promise<boolean>;
  /** Frees the slot of a page that was not delivered: only delivered pages use up the cap. */
  releasePage(hourStart: number, messageId: string): Promise<void>;
  /**
   * Drops the incidents last seen before `lastSeenBefore` (epoch ms): replay's run calls it once no event it
   * still settles can join them. Stores with a TTL (DynamoDB) expire incidents on their own and leave it out.
   */
  forgetIncidents?(lastSeenBefore: number): void;
  /**
   * Drops burst counter entries (and the event ids counted with them) of events before `before` (epoch ms):
   * replay's run calls it for events past its horizon, which no event it still settles can share a window with.
   * Stores with a TTL (DynamoDB) expire them on their own and leave it out.
   */
  forgetBursts?(before: number): void;
}
