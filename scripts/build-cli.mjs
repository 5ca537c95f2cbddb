#!/usr/bin/env node
/**
 * `npm run build:cli` (and `prepare`, so `npm ci` runs it): bundles the q-triage CLI into dist/cli:
 * q-triage.cjs (shared/cli/entry.ts: option-free dispatch, help, version), which bin/q-triage.js loads, and
 * one bundle per command (commands/<name>.cjs), which it loads when that command runs. Dependencies are in
 * the bundles: `npm ci --omit=dev` leaves a working CLI. One bundle for everything would be 1.3 MB that every
 * start compiles (about 40 ms, a second `node -e 0`) before it can print `--help`.
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = path.join(ROOT, 'dist', 'cli', 'q-triage.cjs');
const COMMANDS_DIR = path.join(ROOT, 'shared', 'cli', 'commands');

/** Builds the CLI bundle into `outfile`; returns its size in bytes. */
export async function buildCli(outdir = path.dirname(CLI_BUNDLE)) {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  rmSync(outdir, { recursive: true, force: true });
  const commands = readdirSync(COMMANDS_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -'.ts'.length));
  const result = await build({
    entryPoints: [
      { in: path.join(ROOT, 'shared', 'cli', 'entry.ts'), out: 'q-triage' },
      ...commands.map((name) => ({ in: path.join(COMMANDS_DIR, `${name}.ts`), out: `commands/${name}` })),
    ],
    outdir,
    outExtension: { '.js': '.cjs' },
    plugins: [commandsAsSeparateBundles(commands)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // package.json engines: the oldest Node the CLI runs on.
    target: 'node20',
    // Prefer the ESM entry points: they are what esbuild can tree-shake.
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    define: { 'process.env.Q_TRIAGE_VERSION': JSON.stringify(version) },
    metafile: true,
    logLevel: 'error',
  });
  return Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, { bytes }]) => [path.relative(outdir, file), bytes]),
  );
}

/** main.ts's `require('./commands/<name>')` stays a require, of that command's own bundle. */
function commandsAsSeparateBundles(commands) {
  const names = new Set(commands);
  return {
    name: 'commands-as-separate-bundles',
    setup(build) {
      build.onResolve({ filter: /^\.\/commands\/[a-z-]+$/ }, (args) => {
        const name = args.path.slice('./commands/'.length);
        if (
          args.kind !== 'require-call' ||
          path.dirname(args.importer) !== path.dirname(COMMANDS_DIR) ||
          !names.has(name)
        )
          return undefined;
        return { path: `./commands/${name}.cjs`, external: true };
      });
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? path.resolve(process.argv[2]) : path.dirname(CLI_BUNDLE);
  for (const [file, bytes] of Object.entries(await buildCli(outdir))) {
    process.stdout.write(
      `${(bytes / 1024).toFixed(1).padStart(8)} KiB  ${path.relative(ROOT, path.join(outdir, file))}\n`,
    );
  }
}
