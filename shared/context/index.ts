export { ACTIVITY_RETENTION_MS, ID_FIELDS, MemoryActivityLog, toActivityEntry, extractIds } from './activity';
export type { ActivityEntry, ActivityLog, IdField } from './activity';
export { DynamoActivityLog, activityPk, activitySk } from './dynamo-activity';
export { MemoryLookupCache, DynamoLookupCache } from './cache';
export type { LookupCache, LookupResult } from './cache';
export {
  MemoryRateLimiter,
  DynamoRateLimiter,
  RateLimiterError,
  LOOKUP_EVENTS_BUCKET,
  RATE_LIMIT_KEY,
} from './rate-limiter';
export type { RateLimiter, BucketSettings } from './rate-limiter';
export { lookupAttributeFor, lookupPrincipalEvents } from './lookup';
export { summarizeActivity, CONTEXT_QUESTIONS } from './summary';
export { createContextProvider, wantsContext, CONTEXT_MIN_SEVERITY } from './provider';
export type { ContextProvider, ContextProviderDeps } from './provider';
export { contextEnvSchema, loadContextConfig, ContextConfigError } from './config';
export type { ContextConfig } from './config';
export { createLookupClient } from './client';
