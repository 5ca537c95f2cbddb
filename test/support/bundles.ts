/** Reading esbuild metafiles in the build tests: the build script's own walk (scripts/metafile.cjs). */
import type { Metafile } from 'esbuild';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const metafiles = require('../../scripts/metafile.cjs') as {
  outputsAtStart(metafile: Metafile, entryOutput: string): string[];
  entryOutput(metafile: Metafile, entryPoint: string): string;
};

/** The output of an entry point and every output it imports statically: what a cold start loads. */
export function outputsAtStart(metafile: Metafile, entryPoint: string): { entry: string; atStart: string[] } {
  const entry = metafiles.entryOutput(metafile, entryPoint);
  return { entry, atStart: metafiles.outputsAtStart(metafile, entry) };
}
