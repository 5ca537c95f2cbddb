export type { StateStore, IncidentRecord, TimedEventId, EventFingerprint, DeliveryClaim } from './store';
export { ANY_DIGEST } from './store';
export { MemoryStateStore } from './memory';
export type { BurstCount } from './burst-window';
