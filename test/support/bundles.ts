/** Reading esbuild metafiles in the build tests. */
import type { Metafile } from 'esbuild';

/** The output of an entry point and every output it imports statically: what a cold start loads. */
export function outputsAtStart(metafile: Metafile, entryPoint: string): { entry: string; atStart: string[] } {
  const entry = Object.keys(metafile.outputs).find((output) => metafile.outputs[output]!.entryPoint === entryPoint);
  if (entry === undefined) throw new Error(`no output for entry point ${entryPoint}`);
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]!.imports) if (imported.kind === 'import-statement' && imported.external !== true) visit(imported.path);
  };
  visit(entry);
  return { entry, atStart: [...seen] };
}
