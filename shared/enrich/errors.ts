/** Errors of the enrichment area. Sources throw the `Answer…Error`s; the enricher maps them to statuses. */
import { ConfigError } from '../config-core';
import { QTriageError } from '../errors';

/** A setting of the enrichment section is missing or invalid: raised at cold start, names the variable. */
export class EnrichConfigError extends ConfigError {
  override readonly name = 'EnrichConfigError';
  constructor(
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${message}`, options);
  }
}

/** The source was throttled (Q Business ThrottlingException, HTTP 429). Retried with jitter inside the budget. */
export class AnswerThrottledError extends QTriageError {
  override readonly name = 'AnswerThrottledError';
}

/** The call was cancelled because the enrichment budget ran out. */
export class AnswerAbortedError extends QTriageError {
  override readonly name = 'AnswerAbortedError';
}

/** The playbooks hold nothing on the question (Q's "could not find" reply, or no matching section). */
export class NoAnswerError extends QTriageError {
  override readonly name = 'NoAnswerError';
}

/** Any other failure of the source (5xx, access denied, malformed reply, credentials). */
export class AnswerSourceError extends QTriageError {
  override readonly name = 'AnswerSourceError';
}

/** Identity-aware credentials for an Identity Center application could not be obtained. */
export class IdentityCredentialsError extends QTriageError {
  override readonly name = 'IdentityCredentialsError';
}

/** The synced playbook version could not be read and no earlier value is known. */
export class PlaybookVersionError extends QTriageError {
  override readonly name = 'PlaybookVersionError';
}
