export { createEnricher, MAX_ANSWER_CHARS, MAX_CITATIONS, NO_ANSWER_REASON } from './enricher';
export type { Enricher, EnricherDeps } from './enricher';
export { CircuitBreaker } from './breaker';
export { buildQuestion, questionKey } from './question';
export { isNoAnswer, NO_ANSWER_PHRASES } from './no-answer';
export { createQBusinessSource, createQBusinessClient } from './qbusiness';
export type { ChatSyncClient, AwsCredentials, CredentialsProvider } from './qbusiness';
export {
  createIdentityCenterCredentials,
  identityContextOf,
  IDENTITY_CENTER_CONTEXT_PROVIDER,
  JWT_BEARER_GRANT,
} from './identity';
export {
  createLocalPlaybookSource,
  loadPlaybookSections,
  splitSections,
  rankSections,
  indexSections,
  isCatalogue,
} from './local-playbooks';
export type { PlaybookSection, IndexedSection } from './local-playbooks';
export { MemoryAnswerCache, DynamoAnswerCache, TieredAnswerCache, cachePk } from './cache';
export type { AnswerCache, CacheKey, CachedAnswer } from './cache';
export { createPlaybookVersionReader, UNSYNCED_VERSION } from './playbook-version';
export {
  parseEnrichConfig,
  parseAttributeFilter,
  enrichEnvSchema,
  ALERT_LOCALES,
  AUTH_MODES,
  CHAT_MODES,
  ENRICH_SOURCES,
} from './config';
export type {
  EnrichConfig,
  QBusinessSettings,
  QBusinessAuth,
  IdentityCenterAuth,
  AlertLocale,
  ChatMode,
  AuthMode,
} from './config';
export { createQBusinessSourceFromConfig } from './setup';
export type { QBusinessWiring } from './setup';
export * from './errors';
export type { Answer, AnswerSource, Question } from './types';
