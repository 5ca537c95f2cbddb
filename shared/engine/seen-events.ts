/**
 * The event ids a run has admitted, for de-duplication by content (./fingerprint.ts): per id the content
 * digest of its first record, and that record's sample only where a reused-id alert would need it.
 *
 * Memory is the point: replay remembers every id for its horizon (2 hours of event time, tens of thousands
 * of events on a busy trail), and a sample (strings, evidence, arrays) costs several times the digest.
 * The sample of a first record is kept only when it can alert on its own (LOW or above, not the backend's
 * own call), or for every record when the caller asks (a Lambda batch, which is small and short-lived).
 * A forged copy of an id whose first record was informational is still caught and alerted, with its own
 * record as evidence and a reason saying the first one's content was not kept (docs/replay.md).
 */
import type { EventSample } from '../alerts/model';

/** What is remembered of the first record of an id. */
export interface SeenEvent {
  readonly digest: string;
  readonly sample?: EventSample;
}

export class SeenEvents {
  private readonly byId = new Map<string, SeenEvent>();
  // Ids in the order they came (about event-time order) with their event times, to forget by time.
  private ids: string[] = [];
  private times: number[] = [];
  private forgotten = 0;

  /** `everySample`: keep the sample of every first record, not only of those that can alert on their own. */
  constructor(readonly everySample = false) {}

  get(eventId: string): SeenEvent | undefined {
    return this.byId.get(eventId);
  }

  /** The first record of an id: later records of it are compared with this one. */
  remember(eventId: string, time: number, digest: string, sample?: EventSample): void {
    this.byId.set(eventId, sample === undefined ? { digest } : { digest, sample });
    this.ids.push(eventId);
    this.times.push(time);
  }

  /** Forgets the ids first seen before `cutoff` (event time), in the order they came. */
  forgetBefore(cutoff: number): void {
    while (this.forgotten < this.times.length && (this.times[this.forgotten] as number) < cutoff) {
      this.byId.delete(this.ids[this.forgotten] as string);
      this.forgotten += 1;
    }
    // Drop the forgotten prefix now and then, not on every call: slicing is linear in what is left.
    if (this.forgotten > 4096 && this.forgotten * 2 > this.times.length) {
      this.ids = this.ids.slice(this.forgotten);
      this.times = this.times.slice(this.forgotten);
      this.forgotten = 0;
    }
  }
}
