/**
 * The barrel-skipping esbuild plugin (scripts/esbuild-barrels.cjs), on small packages written for each case:
 * a handler that uses one name of a package, and an on-demand module that uses another. With code splitting,
 * the package's index must not drag the on-demand module's code into what the handler loads at start,
 * and every bundle must still compute what the source says.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { outputsAtStart } from '../../support/bundles';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { barrelSkipping } = require('../../../scripts/esbuild-barrels.cjs') as { barrelSkipping: () => Plugin };

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'barrels-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

/** A package whose index re-exports two modules; each module carries a marker string we can look for. */
function library(
  packageJson: Record<string, unknown>,
  index = 'export { used } from "./used.js";\nexport { other } from "./other.js";\n',
): Record<string, string> {
  return {
    'node_modules/lib/package.json': JSON.stringify({
      name: 'lib',
      version: '1.0.0',
      type: 'module',
      main: 'index.js',
      ...packageJson,
    }),
    'node_modules/lib/index.js': index,
    'node_modules/lib/used.js': 'export const used = () => "USED_MARKER";\n',
    'node_modules/lib/other.js': 'export const other = () => "OTHER_MARKER";\n',
  };
}

const HANDLER =
  'import { used } from "lib";\nexport const run = async () => [used(), (await import("./on-demand.js")).run()].join(",");\n';
const ON_DEMAND = 'import { other } from "lib";\nexport const run = () => other();\n';

/** Code-split ESM build of handler.js; returns what loads at start (the entry and its static imports) and the entry's path. */
async function bundle(plugins: Plugin[]): Promise<{ atStart: string; entry: string }> {
  const outdir = path.join(root, 'out');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.join(root, 'handler.js')],
    absWorkingDir: root,
    outdir,
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'node',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const { entry, atStart } = outputsAtStart(result.metafile, 'handler.js');
  return {
    atStart: atStart.map((output) => readFileSync(path.join(root, output), 'utf8')).join('\n'),
    entry: path.join(root, entry),
  };
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

test('without the plugin, the index drags the on-demand code into the cold start (the problem it solves)', async () => {
  write({ ...library({ sideEffects: false }), 'handler.js': HANDLER, 'on-demand.js': ON_DEMAND });
  const { atStart, entry } = await bundle([]);
  expect(atStart).toContain('OTHER_MARKER');
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
});

test('a side-effect-free package: each import goes to its defining module, the other stays on demand', async () => {
  write({ ...library({ sideEffects: false }), 'handler.js': HANDLER, 'on-demand.js': ON_DEMAND });
  const { atStart, entry } = await bundle([barrelSkipping()]);
  expect(atStart).toContain('USED_MARKER');
  expect(atStart).not.toContain('OTHER_MARKER');
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
});

test.each([
  ['says nothing about side effects', {}],
  ['says it has side effects', { sideEffects: true }],
  ['lists its index among the files with side effects', { sideEffects: ['./index.js'] }],
])('a package that %s keeps its index import', async (_name, packageJson) => {
  write({ ...library(packageJson), 'handler.js': HANDLER, 'on-demand.js': ON_DEMAND });
  const { atStart, entry } = await bundle([barrelSkipping()]);
  expect(atStart).toContain('OTHER_MARKER');
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
});

test('follows chains of indexes and `export *`, keeps aliases and multi-line import lists', async () => {
  write({
    ...library(
      { sideEffects: false },
      'export * from "./inner/index.js";\nexport { other as renamed } from "./other.js";\n',
    ),
    'node_modules/lib/inner/index.js': 'export { used } from "../used.js";\n',
    'handler.js':
      'import {\n  used as u,\n} from "lib";\nexport const run = async () => [u(), (await import("./on-demand.js")).run()].join(",");\n',
    'on-demand.js': 'import { renamed } from "lib";\nexport const run = () => renamed();\n',
  });
  const { atStart, entry } = await bundle([barrelSkipping()]);
  expect(atStart).not.toContain('OTHER_MARKER');
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
});

test('a module that exports a local under another name (`export { impl as used }`) is imported by its export name', async () => {
  write({
    ...library({ sideEffects: false }),
    'node_modules/lib/used.js': 'const impl = () => "USED_MARKER";\nexport { impl as used };\n',
    'handler.js': HANDLER,
    'on-demand.js': ON_DEMAND,
  });
  const { atStart, entry } = await bundle([barrelSkipping()]);
  expect(atStart).not.toContain('OTHER_MARKER');
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
});

test('indexes that re-export each other (a cycle) build, and still compute the same', async () => {
  write({
    ...library({ sideEffects: false }, 'export * from "./more/index.js";\nexport { other } from "./other.js";\n'),
    'node_modules/lib/more/index.js': 'export { used } from "../used.js";\nexport * from "../index.js";\n',
    'handler.js': HANDLER,
    'on-demand.js': ON_DEMAND,
  });
  const { entry } = await bundle([barrelSkipping()]);
  expect(run(entry)).toBe('USED_MARKER,OTHER_MARKER');
}, 10_000);

test('a name the index defines itself stays an import of the index', async () => {
  write({
    ...library(
      { sideEffects: false },
      'import { used as base } from "./used.js";\nexport const used = () => `${base()}+INDEX`;\nexport { other } from "./other.js";\n',
    ),
    'handler.js': HANDLER,
    'on-demand.js': ON_DEMAND,
  });
  const { entry } = await bundle([barrelSkipping()]);
  expect(run(entry)).toBe('USED_MARKER+INDEX,OTHER_MARKER');
});

test('a name the package does not export fails the build, as it does without the plugin', async () => {
  write({
    ...library({ sideEffects: false }),
    'handler.js': 'import { used, missing } from "lib";\nexport const run = () => [used(), missing].join(",");\n',
  });
  await expect(bundle([])).rejects.toThrow('No matching export');
  await expect(bundle([barrelSkipping()])).rejects.toThrow('No matching export');
});

test("the triage bundle loads no code of the on-demand clients' protocols at start (XML, Query, HTTP/2)", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { esbuildOnly } = require('../../../scripts/esbuild-options.cjs') as {
    esbuildOnly: () => Record<string, unknown>;
  };
  const repo = path.join(__dirname, '..', '..', '..');
  const outdir = path.join(root, 'triage');
  const result = await build({
    ...esbuildOnly(),
    entryPoints: [path.join(repo, 'functions', 'triage', 'handler.ts')],
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  const { atStart } = outputsAtStart(result.metafile, 'functions/triage/handler.ts');
  const inputs = atStart.flatMap((output) => Object.keys(result.metafile.outputs[output]!.inputs));
  const builtins = atStart.flatMap((output) =>
    result.metafile.outputs[output]!.imports.filter((imported) => imported.external === true).map(
      (imported) => imported.path,
    ),
  );
  expect(inputs.filter((input) => /protocols\/(xml|query)\/|xml-builder|node-http2/.test(input))).toEqual([]);
  expect(builtins).not.toContain('node:http2');
  // Still there, on demand: the SNS client (Query protocol) that the alert path loads.
  const everything = Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
  expect(everything.some((input) => input.includes('protocols/query/AwsQueryProtocol'))).toBe(true);
}, 60_000);
