import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * The one logger factory. In Lambda it writes structured JSON to CloudWatch; the CLI passes
 * `silent` so that stdout carries only the command's output.
 */
export function createLogger(options: { serviceName?: string; silent?: boolean } = {}): Logger {
  return new Logger({
    serviceName: options.serviceName ?? 'q-triage',
    logLevel: options.silent === true ? 'SILENT' : ((process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO') as LogLevel),
  });
}

export type { Logger };
