#!/usr/bin/env node
/**
 * `npm run build`: bundles each Lambda handler into dist/<name>/index.js with the options the
 * deployment uses (scripts/esbuild-options.cjs), writes dist/<name>/meta.json (esbuild
 * metafile, for `npx esbuild --analyze`-style inspection) and prints each bundle's size.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['triage', 'resync', 'readiness'];

/** esbuild options shared with serverless-esbuild, minus the plugin-only `exclude`. */
export function esbuildOptions() {
  const options = { ...require('./esbuild-options.cjs').options };
  delete options.exclude;
  return options;
}

/** Bundles one entry file; returns its size and metafile. */
export async function bundle(entry, outfile) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const result = await build({ ...esbuildOptions(), entryPoints: [entry], outfile, metafile: true, logLevel: 'error' });
  writeFileSync(path.join(path.dirname(outfile), 'meta.json'), JSON.stringify(result.metafile));
  return { outfile, bytes: statSync(outfile).size, metafile: result.metafile };
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
    built.push({ name, ...(await bundle(entry, path.join(ROOT, 'dist', name, 'index.js'))) });
  }
  return { built, missing };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { built, missing } = await buildFunctionBundles();
  for (const { name, outfile, bytes } of built) {
    process.stdout.write(`${name.padEnd(10)} ${kib(bytes).padStart(10)}  ${path.relative(ROOT, outfile)}\n`);
  }
  for (const name of missing) process.stderr.write(`${name.padEnd(10)} missing: functions/${name}/handler.ts\n`);
  if (missing.length > 0) process.exitCode = 1;
}
