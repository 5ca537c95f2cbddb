/**
 * What the deployed triage bundle loads at cold start (the entry chunk and its static imports), built with the
 * deployment's esbuild options: the code for alerts (SNS, enrichment, principal context) and the rarely used
 * clients stay in chunks loaded on first use, and no Node built-in is imported through an ES module facade.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { outputsAtStart } from '../../support/bundles';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { esbuildOnly } = require('../../../scripts/esbuild-options.cjs') as { esbuildOnly: () => BuildOptions };

const ROOT = path.resolve(__dirname, '../../..');
let outdir: string;
let atStart: { inputs: Set<string>; code: string };
/** Every module of the bundle, on demand or not. */
let bundled: Set<string>;

beforeAll(async () => {
  outdir = mkdtempSync(path.join(tmpdir(), 'cold-start-'));
  const result = await build({
    ...esbuildOnly(),
    entryPoints: [path.join(ROOT, 'functions/triage/handler.ts')],
    absWorkingDir: ROOT,
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  atStart = loadedAtStart(result.metafile, 'functions/triage/handler.ts');
  bundled = new Set(Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs)));
}, 60_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function loadedAtStart(metafile: Metafile, entryPoint: string): { inputs: Set<string>; code: string } {
  const { atStart: outputs } = outputsAtStart(metafile, entryPoint);
  const inputs = new Set(outputs.flatMap((output) => Object.keys(metafile.outputs[output]!.inputs)));
  return { inputs, code: outputs.map((output) => readFileSync(path.join(ROOT, output), 'utf8')).join('\n') };
}

test.each([
  ['the triage engine', 'shared/triage.ts'],
  ['the playbook table', 'shared/playbook/table.ts'],
  ['the DynamoDB client', 'node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js'],
])('%s loads at cold start', (_name, input) => {
  expect(atStart.inputs).toContain(input);
});

test.each([
  ['the SNS notifier', 'shared/notify/sns.ts'],
  ['the alert renderers', 'shared/alerts/render/text.ts'],
  ['the chat renderer', 'shared/alerts/render/chatbot.ts'],
  ['the enricher', 'shared/enrich/enricher.ts'],
  ['the answer cache', 'shared/enrich/cache.ts'],
  ['the principal context provider', 'shared/context/provider.ts'],
  ['the SNS client', 'node_modules/@aws-sdk/client-sns/dist-es/SNSClient.js'],
  ['the Q Business client', 'node_modules/@aws-sdk/client-qbusiness/dist-es/QBusinessClient.js'],
  ['the CloudTrail client', 'node_modules/@aws-sdk/client-cloudtrail/dist-es/CloudTrailClient.js'],
])('%s waits for the first alert', (_name, input) => {
  expect(bundled).toContain(input);
  expect(atStart.inputs).not.toContain(input);
});

test('no Node built-in is imported statically (each would get an ES module facade)', () => {
  const staticImports = [
    ...atStart.code.matchAll(/(?:^|[;\s}])import\s*(?:[^'"();]*?from\s*)?["'](node:[a-z0-9_/]+)["']/gm),
  ].map((match) => match[1]);
  expect(staticImports.filter((name) => name !== 'node:module')).toEqual([]);
  expect(atStart.code).toContain('"node:https"');
});

test('nothing of the replay CLI is bundled into the Lambda', () => {
  expect([...bundled].filter((input) => input.startsWith('shared/cli/'))).toEqual([]);
});
