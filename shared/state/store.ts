import type { Alert } from '../alerts/model';

/** An open aggregation window: the alert as last published (or about to be), plus bookkeeping. */
export interface IncidentRecord {
  /** `<principalKey>#<rule>`. */
  readonly key: string;
  /** Incremented on every write; writes are conditional on it (optimistic concurrency). */
  readonly version: number;
  readonly alert: Alert;
  /** The first message of the incident was delivered. */
  readonly published: boolean;
  /** Epoch ms until which one writer holds the right to publish the first message. */
  readonly publishLeaseUntil: number;
}

export interface TimedEventId {
  readonly eventId: string;
  readonly time: number;
}

/**
 * Durable state of the pipeline. The memory implementation serves replay and tests; the DynamoDB one
 * serves the Lambda. Every write that two instances could race on is conditional.
 */
export interface StateStore {
  /** The ids among these that were already triaged to the end (idempotency). An id may be given more than once. */
  processed(eventIds: readonly string[]): Promise<Set<string>>;
  markProcessed(eventIds: readonly string[]): Promise<void>;
  /**
   * Adds events to a per-principal burst counter and returns, for each event in order, how many
   * counted events fall in the window ending at that event's time.
   */
  addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<number[]>;
  getIncident(key: string): Promise<IncidentRecord | undefined>;
  /** Writes only if the stored version equals `expectedVersion` (undefined: no item). False on conflict. */
  putIncident(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
  /** Counts one page in the hour starting at `hourStart` (epoch ms); returns the count including it. */
  countPage(hourStart: number): Promise<number>;
  /**
   * Drops the incidents last seen before `lastSeenBefore` (epoch ms): replay's run calls it once no event it
   * still settles can join them. Stores with a TTL (DynamoDB) expire incidents on their own and leave it out.
   */
  forgetIncidents?(lastSeenBefore: number): void;
}
