import type { DeliveryClaim, EventFingerprint, IncidentRecord, StateStore, TimedEventId } from './store';

/** Single-process state for replay and tests. Exact sliding windows; no TTLs (the process is short-lived). */
export class MemoryStateStore implements StateStore {
  private readonly done = new Map<string, EventFingerprint>();
  private readonly bursts = new Map<string, { entries: TimedEventId[]; counted: Set<string> }>();
  private readonly incidents = new Map<string, IncidentRecord>();
  private readonly deliveries = new Map<string, { delivered: boolean; leaseUntil: number }>();
  private readonly pages = new Map<number, Set<string>>();

  async processed(eventIds: readonly string[]): Promise<Map<string, EventFingerprint>> {
    const found = new Map<string, EventFingerprint>();
    for (const id of eventIds) {
      const stored = this.done.get(id);
      if (stored !== undefined) found.set(id, stored);
    }
    return found;
  }

  async markProcessed(events: readonly EventFingerprint[]): Promise<void> {
    for (const event of events) this.done.set(event.eventId, event);
  }

  async addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<number[]> {
    const burst = this.bursts.get(key) ?? { entries: [], counted: new Set<string>() };
    const { entries, counted } = burst;
    const counts: number[] = [];
    for (const event of events) {
      if (!counted.has(event.eventId)) {
        counted.add(event.eventId);
        // Events arrive in time order within a batch; a late one is inserted in place.
        let index = entries.length;
        while (index > 0 && (entries[index - 1] as TimedEventId).time > event.time) index -= 1;
        entries.splice(index, 0, event);
      }
      const since = event.time - windowMs;
      let count = 0;
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const time = (entries[i] as TimedEventId).time;
        if (time <= since) break;
        if (time <= event.time) count += 1;
      }
      counts.push(count);
    }
    // Keep only what a later window can still see.
    const newest = entries[entries.length - 1]?.time ?? 0;
    const keepFrom = entries.findIndex((entry) => entry.time > newest - windowMs);
    const dropped = keepFrom < 0 ? entries.length : keepFrom;
    for (const entry of entries.splice(0, dropped)) counted.delete(entry.eventId);
    this.bursts.set(key, burst);
    return counts;
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
}
