import { windowCounts, type BurstCount } from './burst-window';
import type { DeliveryClaim, EventFingerprint, IncidentRecord, StateStore, TimedEventId } from './store';

/** Single-process state for replay and tests. No TTLs: the process is short-lived. */
export class MemoryStateStore implements StateStore {
  private readonly done = new Map<string, EventFingerprint>();
  /** Per burst counter: the counted times (ascending) and the counted event ids with their times. */
  private readonly bursts = new Map<string, { times: number[]; counted: Map<string, number> }>();
  private readonly incidents = new Map<string, IncidentRecord>();
  private readonly deliveries = new Map<string, { delivered: boolean; leaseUntil: number }>();
  private readonly pages = new Map<number, Set<string>>();

  /**
   * `rememberProcessed: false`: processed fingerprints are not kept (replay, whose run finds duplicates itself
   * within its horizon: a month of logs would otherwise keep every event id).
   */
  constructor(private readonly options: { readonly rememberProcessed?: boolean } = {}) {}

  async processed(eventIds: readonly string[]): Promise<Map<string, EventFingerprint>> {
    const found = new Map<string, EventFingerprint>();
    for (const id of eventIds) {
      const stored = this.done.get(id);
      if (stored !== undefined) found.set(id, stored);
    }
    return found;
  }

  async markProcessed(events: readonly EventFingerprint[]): Promise<void> {
    if (this.options.rememberProcessed === false) return;
    for (const event of events) this.done.set(event.eventId, event);
  }

  async addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<BurstCount[]> {
    const burst = this.bursts.get(key) ?? { times: [], counted: new Map<string, number>() };
    const fresh: number[] = [];
    for (const event of events) {
      if (burst.counted.has(event.eventId)) continue;
      burst.counted.set(event.eventId, event.time);
      fresh.push(event.time);
    }
    if (fresh.length > 0) burst.times = [...burst.times, ...fresh].sort((a, b) => a - b);
    this.bursts.set(key, burst);
    return windowCounts(
      burst.times,
      events.map((event) => event.time),
      windowMs,
    );
  }

  async getIncident(key: string): Promise<IncidentRecord | undefined> {
    return this.incidents.get(key);
  }

  async putIncident(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean> {
    const current = this.incidents.get(record.key);
    if (current?.version !== expectedVersion) return false;
    this.incidents.set(record.key, record);
    return true;
  }

  async dueIncidents(now: number, limit: number): Promise<string[]> {
    return [...this.incidents.values()]
      .filter(
        (record): record is IncidentRecord & { dueAt: number } => record.dueAt !== undefined && record.dueAt <= now,
      )
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit)
      .map((record) => record.key);
  }

  async claimDelivery(messageId: string, now: number, leaseMs: number): Promise<DeliveryClaim> {
    const current = this.deliveries.get(messageId);
    if (current?.delivered === true) return 'delivered';
    if (current !== undefined && current.leaseUntil > now) return 'busy';
    this.deliveries.set(messageId, { delivered: false, leaseUntil: now + leaseMs });
    return 'claimed';
  }

  async markDelivered(messageId: string): Promise<void> {
    this.deliveries.set(messageId, { delivered: true, leaseUntil: 0 });
  }

  async releaseDelivery(messageId: string): Promise<void> {
    if (this.deliveries.get(messageId)?.delivered === false) this.deliveries.delete(messageId);
  }

  async reservePage(hourStart: number, messageId: string, cap: number): Promise<boolean> {
    const held = this.pages.get(hourStart) ?? new Set<string>();
    this.pages.set(hourStart, held);
    if (held.has(messageId)) return true;
    if (held.size >= cap) return false;
    held.add(messageId);
    return true;
  }

  async releasePage(hourStart: number, messageId: string): Promise<void> {
    this.pages.get(hourStart)?.delete(messageId);
  }

  forgetBursts(before: number): void {
    for (const [key, burst] of this.bursts) {
      const kept = burst.times.findIndex((time) => time >= before);
      if (kept === 0) continue;
      if (kept < 0) {
        this.bursts.delete(key);
        continue;
      }
      burst.times = burst.times.slice(kept);
      for (const [eventId, time] of burst.counted) if (time < before) burst.counted.delete(eventId);
    }
  }

  forgetIncidents(lastSeenBefore: number): void {
    for (const [key, record] of this.incidents)
      if (Date.parse(record.alert.lastSeen) < lastSeenBefore) this.incidents.delete(key);
  }
}
