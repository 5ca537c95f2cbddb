/**
 * The built-ins-through-require esbuild plugin (scripts/esbuild-builtins.cjs): an ESM bundle built with it
 * has no static import of a Node built-in left, and every way our dependencies import one (named, aliased,
 * default, namespace, `export *`, with and without `node:`) still yields the built-in's own values.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { builtinsThroughRequire } = require('../../../scripts/esbuild-builtins.cjs') as {
  builtinsThroughRequire: () => Plugin;
};

// The deployment's banner (scripts/esbuild-options.cjs): the plugin relies on it for `require`.
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'builtins-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Each import form, and what it must equal when the bundle runs. */
const ENTRY = `
import { createHash, randomUUID as uuid } from 'node:crypto';
import https from 'node:https';
import * as path from 'path';
import { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { http2Exports } from './reexport.js';
import { createRequire } from 'node:module';
const real = createRequire(import.meta.url);
export async function run() {
  const onDemand = await import('node:os');
  return [
    createHash === real('node:crypto').createHash,
    uuid === real('crypto').randomUUID,
    https === real('node:https') && https.request === real('https').request,
    path.join === real('node:path').join,
    Readable === real('node:stream').Readable,
    readFile === real('node:fs/promises').readFile,
    http2Exports.connect === real('node:http2').connect,
    onDemand.hostname === real('node:os').hostname,
    createHash('sha256').update('q-triage').digest('hex').length === 64,
  ].join(',');
}
`;
const REEXPORT = `import * as http2 from 'node:http2';\nexport const http2Exports = http2;\n`;
const ALL_TRUE = Array.from({ length: 9 }, () => 'true').join(',');

async function bundle(plugins: Plugin[], format: 'esm' | 'cjs' = 'esm'): Promise<{ code: string; entry: string }> {
  writeFileSync(path.join(root, 'entry.js'), ENTRY);
  writeFileSync(path.join(root, 'reexport.js'), REEXPORT);
  const outdir = path.join(root, 'out');
  await build({
    entryPoints: [path.join(root, 'entry.js')],
    absWorkingDir: root,
    outdir,
    bundle: true,
    platform: 'node',
    format,
    ...(format === 'esm' ? { splitting: true, outExtension: { '.js': '.mjs' }, banner: { js: BANNER } } : {}),
    logLevel: 'silent',
    plugins,
  });
  const code = readdirSync(outdir)
    .map((file) => readFileSync(path.join(outdir, file), 'utf8'))
    .join('\n');
  return { code, entry: path.join(outdir, format === 'esm' ? 'entry.mjs' : 'entry.js') };
}

function run(entry: string): string {
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { run } = await import(${JSON.stringify(`file://${entry}`)}); console.log(await run());`,
    ],
    { encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

/** Static imports of built-ins in the output, with or without `node:` (`import x from"node:https"`, `import"fs"`). */
const staticBuiltinImports = (code: string): string[] =>
  [...code.matchAll(/(?:^|[;\s}])import\s*(?:[^'"();]*?from\s*)?["']((?:node:)?[a-z0-9_/]+)["']/gm)]
    .map((match) => match[1]!)
    .filter((name) => name !== 'node:module');

test('without the plugin, the ESM bundle imports its built-ins statically (the facades it avoids)', async () => {
  const { code, entry } = await bundle([]);
  expect(staticBuiltinImports(code).sort()).toEqual([
    'node:crypto',
    'node:fs/promises',
    'node:http2',
    'node:https',
    'node:stream',
    'path',
  ]);
  expect(run(entry)).toBe(ALL_TRUE);
});

test('with it, no static import of a built-in is left, and every import form yields the built-in itself', async () => {
  const { code, entry } = await bundle([builtinsThroughRequire()]);
  expect(staticBuiltinImports(code)).toEqual([]);
  expect(code).toContain('"node:https"');
  // A dynamic import stays one: it is not part of the cold start.
  expect(code).toMatch(/import\(\s*"node:os"\s*\)/);
  expect(run(entry)).toBe(ALL_TRUE);
});

test('a CommonJS build (serverless invoke local) is left to esbuild', async () => {
  const withPlugin = await bundle([builtinsThroughRequire()], 'cjs');
  const without = await bundle([], 'cjs');
  expect(withPlugin.code).toBe(without.code);
});
