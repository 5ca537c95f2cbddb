#!/usr/bin/env node
/**
 * `npm run build`: bundles each Lambda handler into dist/<name>/handler.mjs (plus the chunks that
 * code splitting makes of what it imports lazily) with the options the deployment uses
 * (scripts/esbuild-options.cjs), writes dist/<name>/meta.json (esbuild metafile) and prints each
 * bundle's size: what loads at cold start, and everything.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { entryOutput, outputsAtStart } = require('./metafile.cjs');
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['triage', 'resync', 'readiness'];

/** esbuild options shared with serverless-esbuild, minus the plugin-only ones. */
export function esbuildOptions() {
  return require('./esbuild-options.cjs').esbuildOnly();
}

/** Bundles one entry file into `outdir`; returns the entry's path, its eager and total sizes, and the metafile. */
export async function bundle(entry, outdir) {
  // Chunk names are content hashes: without a clean directory, chunks of earlier builds pile up.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({ ...esbuildOptions(), entryPoints: [entry], outdir, metafile: true, logLevel: 'error' });
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  // Dynamic imports are entry points of their own in the metafile: pick the output of *this* entry.
  const entryInput = path.relative(process.cwd(), entry).split(path.sep).join('/');
  const output = entryOutput(result.metafile, entryInput);
  const total = Object.values(result.metafile.outputs).reduce((sum, chunk) => sum + chunk.bytes, 0);
  // What a cold start loads: the entry's output and every chunk it imports statically.
  const atStart = outputsAtStart(result.metafile, output).reduce(
    (sum, chunk) => sum + result.metafile.outputs[chunk].bytes,
    0,
  );
  return { outfile: path.resolve(output), bytes: atStart, totalBytes: total, metafile: result.metafile };
}

/** Bundles every function whose handler exists; lists the ones that do not. */
export async function buildFunctionBundles() {
  const built = [];
  const missing = [];
  for (const name of FUNCTIONS) {
    const entry = path.join(ROOT, 'functions', name, 'handler.ts');
    if (!existsSync(entry)) {
      missing.push(name);
      continue;
    }
    built.push({ name, ...(await bundle(entry, path.join(ROOT, 'dist', name))) });
  }
  return { built, missing };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { built, missing } = await buildFunctionBundles();
  for (const { name, outfile, bytes, totalBytes } of built) {
    process.stdout.write(
      `${name.padEnd(10)} ${kib(bytes).padStart(10)} at cold start, ${kib(totalBytes).padStart(10)} in all  ${path.relative(ROOT, outfile)}\n`,
    );
  }
  for (const name of missing) process.stderr.write(`${name.padEnd(10)} missing: functions/${name}/handler.ts\n`);
  if (missing.length > 0) process.exitCode = 1;
}
