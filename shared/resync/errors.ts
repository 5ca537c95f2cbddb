/** Named failures of a resync. Each stops the run before anything is written. */
import { ConfigError } from '../config-core';
import { QTriageError } from '../errors';

export class TarballDownloadError extends QTriageError {
  override readonly name = 'TarballDownloadError';
}

/** The archive is not a plain tree of files within its limits; `reason` says which rule it broke. */
export class UnsafeArchiveError extends QTriageError {
  override readonly name = 'UnsafeArchiveError';
  constructor(
    readonly reason: UnsafeArchiveReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const UNSAFE_ARCHIVE_REASONS = [
  'corrupt',
  'absolute-path',
  'path-traversal',
  'link',
  'special-file',
  'too-many-files',
  'file-too-large',
  'archive-too-large',
  'no-top-level-directory',
] as const;
export type UnsafeArchiveReason = (typeof UNSAFE_ARCHIVE_REASONS)[number];

/** The archive held no file that the sync includes: refusing protects the bucket from a `--delete` of everything. */
export class EmptyPlaybookTreeError extends QTriageError {
  override readonly name = 'EmptyPlaybookTreeError';
}

export class BucketSyncError extends QTriageError {
  override readonly name = 'BucketSyncError';
}

export class ResyncConfigError extends ConfigError {
  override readonly name = 'ResyncConfigError';
}
