import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
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
 * The one logger factory. In Lambda it writes structured JSON to CloudWatch; the CLI passes
 * `silent` so that stdout carries only the command's output.
 */
export function createLogger(options: { serviceName?: string; silent?: boolean } = {}): Logger {
  return new Logger({
    serviceName: options.serviceName ?? 'q-triage',
    logLevel: options.silent === true ? 'SILENT' : ((process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO') as LogLevel),
    jsonReplacerFn: escapeLogText,
  });
}

export type { Logger };
