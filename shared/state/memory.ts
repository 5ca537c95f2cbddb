import type { IncidentRecord, StateStore, TimedEventId } from './store';

/** Single-process state for replay and tests. Exact sliding windows; no TTLs (the process is short-lived). */
export class MemoryStateStore implements StateStore {
  private readonly done = new Set<string>();

  /**
   * `rememberProcessed: false`: processed ids are not kept (replay, whose run finds duplicates itself within
   * its horizon: a month of logs would otherwise keep every event id).
   */
  constructor(private readonly options: { readonly rememberProcessed?: boolean } = {}) {}
  private readonly bursts = new Map<string, number[]>();
  private readonly incidents = new Map<string, IncidentRecord>();
  private readonly pages = new Map<number, number>();

  async processed(eventIds: readonly string[]): Promise<Set<string>> {
    return new Set(eventIds.filter((id) => this.done.has(id)));
  }

  async markProcessed(eventIds: readonly string[]): Promise<void> {
    if (this.options.rememberProcessed === false) return;
    for (const id of eventIds) this.done.add(id);
  }

  async addToBurst(key: string, events: readonly TimedEventId[], windowMs: number): Promise<number[]> {
    const times = this.bursts.get(key) ?? [];
    const counts: number[] = [];
    for (const event of events) {
      // Events arrive in time order within a batch; a late one is inserted in place.
      let index = times.length;
      while (index > 0 && (times[index - 1] as number) > event.time) index -= 1;
      times.splice(index, 0, event.time);
      const since = event.time - windowMs;
      let first = 0;
      while (first < times.length && (times[first] as number) <= since) first += 1;
      let count = 0;
      for (let i = first; i < times.length && (times[i] as number) <= event.time; i += 1) count += 1;
      counts.push(count);
    }
    // Keep only what a later window can still see.
    const newest = times[times.length - 1] ?? 0;
    const keepFrom = times.findIndex((time) => time > newest - windowMs);
    this.bursts.set(key, keepFrom <= 0 ? times : times.slice(keepFrom));
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

  forgetIncidents(lastSeenBefore: number): void {
    for (const [key, record] of this.incidents) if (Date.parse(record.alert.lastSeen) < lastSeenBefore) this.incidents.delete(key);
  }

  async countPage(hourStart: number): Promise<number> {
    const count = (this.pages.get(hourStart) ?? 0) + 1;
    this.pages.set(hourStart, count);
    return count;
  }
}
