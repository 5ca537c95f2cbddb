import { Logger } from '@aws-lambda-powertools/logger';
import { cleanText } from './alerts/escape';

/**
 * Every string a log line carries (messages, keys' values, error messages and stacks) is escaped as
 * alerts are: rejected records and forged names put attacker text in the logs, and JSON leaves bidi
 * overrides and C1 controls raw. Uncapped: a log line keeps the whole evidence.
 */
export function escapeLogText(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? cleanText(value, Number.POSITIVE_INFINITY) : value;
}

/**
 * The one logger factory. In Lambda it writes structured JSON to CloudWatch, its service name and level taken by
 * powertools from the environment (shared/powertools.ts); the CLI passes `silent` so that stdout carries only
 * the command's output.
 */
export function createLogger(options: { silent?: boolean } = {}): Logger {
  return new Logger({ ...(options.silent === true ? { logLevel: 'SILENT' } : {}), jsonReplacerFn: escapeLogText });
}

export type { Logger };
