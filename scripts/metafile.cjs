/**
 * Reading esbuild metafiles, for the build script (bundle sizes at cold start) and the build tests
 * (what the triage handler loads at start).
 */

/**
 * The output of an entry (its path in the metafile's outputs) and every output it imports statically:
 * what a cold start loads. Dynamic imports are left out; they load on first use.
 */
function outputsAtStart(metafile, entryOutput) {
  const seen = new Set();
  const visit = (output) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output].imports)
      if (imported.kind === 'import-statement' && imported.external !== true) visit(imported.path);
  };
  visit(entryOutput);
  return [...seen];
}

/** The output built from `entryPoint` (an input path as the metafile spells it). */
function entryOutput(metafile, entryPoint) {
  const output = Object.keys(metafile.outputs).find(
    (candidate) => metafile.outputs[candidate].entryPoint === entryPoint,
  );
  if (output === undefined) throw new Error(`esbuild produced no output for ${entryPoint}`);
  return output;
}

module.exports = { outputsAtStart, entryOutput };
