/** Option parsing shared by the `q-triage` sub-commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/** node:util parseArgs, with its errors (unknown option, missing value) as UsageError. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export type OutputFormat = 'text' | 'json';

/** The `--format text|json` option; text when it is not given. */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
  return format;
}
