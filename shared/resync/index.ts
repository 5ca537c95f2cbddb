export { runResync, DEFAULT_INCLUDE } from './run';
export type { ResyncDeps, ResyncOptions } from './run';
export { loadResyncConfig, resyncEnvSchema, tarballUrlFor } from './config';
export type { ResyncConfig } from './config';
export { createResyncDeps } from './wiring';
export { createSnsReportPublisher, renderReportText, shouldPublish } from './report';
export type { ResyncReport, ReportPublisher } from './report';
export {
  createDynamoVersionStore,
  createMemoryVersionStore,
  playbookVersionReader,
  computePlaybookVersion,
  VERSION_KEY,
} from './version';
export type { PlaybookVersionRecord, PlaybookVersionStore } from './version';
export { unpackTarball, DEFAULT_ARCHIVE_LIMITS } from './tarball';
export type { ArchiveLimits, PlaybookTree } from './tarball';
export { syncTreeToBucket } from './bucket-sync';
export { startDataSourceSyncs, checkDataSourceSyncs, SYNC_ALREADY_RUNNING } from './data-source-sync';
export * from './errors';
