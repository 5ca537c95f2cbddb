export type { StateStore, IncidentRecord, TimedEventId } from './store';
export { MemoryStateStore } from './memory';
