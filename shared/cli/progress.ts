/**
 * Progress of a long replay on stderr: files and events read, rate, ETA. Only when stderr is a terminal
 * (a pipe or a log file gets nothing), redrawn in place at most a few times a second, erased at the end.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface Progress {
  /** One batch (one file) read, with this many inputs. */
  batch(inputs: number): void;
  /** Erases the line. */
  done(): void;
}

const REDRAW_MS = 250;
const NO_PROGRESS: Progress = { batch: () => undefined, done: () => undefined };

/** Files under the paths, as the reader lists them (hidden entries skipped): the ETA's denominator. */
export async function countFiles(paths: readonly string[], cwd: string): Promise<number> {
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else files += 1;
    }
  };
  for (const path of paths) {
    const before = files;
    await walk(resolve(cwd, path));
    if (files === before) files += 1;
  }
  return files;
}

/** `countTotal`: the files to read (countFiles), counted in the background, only for a terminal. */
export function createProgress(
  stream: NodeJS.WritableStream,
  countTotal: () => Promise<number>,
  now: () => number = Date.now,
): Progress {
  if ((stream as { isTTY?: boolean }).isTTY !== true) return NO_PROGRESS;
  const started = now();
  let total: number | undefined;
  void countTotal().then((count) => (total = count));
  let files = 0;
  let inputs = 0;
  let drawn = started;
  let shown = false;
  return {
    batch(count) {
      files += 1;
      inputs += count;
      const at = now();
      if (at - drawn < REDRAW_MS) return;
      drawn = at;
      const seconds = (at - started) / 1000;
      const rate = Math.round(inputs / seconds);
      const eta =
        total !== undefined && total > files ? `, ETA ${Math.ceil(((total - files) * seconds) / files)} s` : '';
      stream.write(
        `\r\x1b[Kreplay: ${files}${total === undefined ? '' : `/${total}`} files, ${inputs} events, ${rate}/s${eta}`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
