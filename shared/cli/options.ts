/** Option parsing shared by the `q-triage` sub-commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/** The closest of `candidates` to `word` (edit distance at most 2, or a prefix of it), if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(word) ? 1 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** node:util's error codes, rewritten as one short line each. */
function usageMessage(error: NodeJS.ErrnoException, options: readonly string[]): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const suggestion = didYouMean(quoted.replace(/^-+/, '').split('=')[0] ?? '', options);
    return `unknown option ${quoted}${suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    const option = quoted.split(' ')[0] ?? quoted;
    return error.message.includes('argument missing') ? `${option} needs a value` : `${option} takes no value`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined)
    return `unexpected argument ${quoted}`;
  return error.message;
}

/** node:util parseArgs, with its errors (unknown option, missing value) as one-line UsageErrors. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(usageMessage(error as NodeJS.ErrnoException, Object.keys(config.options ?? {})));
  }
}

export type OutputFormat = 'text' | 'json';

/** The `--format text|json` option; text when it is not given. */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
  return format;
}
