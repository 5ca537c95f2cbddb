/**
 * One way to fail: every error q-triage throws on purpose extends QTriageError, and every place that reads an
 * error it did not make (an SDK exception, a Node error, something thrown from another realm) reads it here.
 */

/**
 * The base of q-triage's own errors. Each subclass names itself (`name` is declared, not derived from the
 * class, so that a minified bundle keeps the names logs and callers match on) and carries `{ cause }`.
 */
export abstract class QTriageError extends Error {
  abstract override readonly name: string;
}

/** An error's message without the `Error: ` prefix, also for errors from another realm (jest's VM context). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string')
    return error.message;
  return String(error);
}

/** An AWS error name is a plain identifier; anything else (a forged or odd object) is not repeated in a log or alert. */
const PLAIN_ERROR_NAME = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/** The error's name (`ThrottlingException`, `TimeoutError`…), or `fallback` when it has no plain one. */
export function errorName(error: unknown, fallback = 'UnknownError'): string {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
  return typeof name === 'string' && PLAIN_ERROR_NAME.test(name) ? name : fallback;
}

/**
 * A DynamoDB conditional write that lost. Matched by name: the document client and the low-level client
 * throw it, and a bundled or test-realm copy of the SDK class would fail an `instanceof`.
 */
export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}
