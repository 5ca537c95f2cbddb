/**
 * `npm run bench:coldstart`: builds the function bundles (scripts/build-bundles.mjs) and a naive
 * bundle that imports all four SDK clients, the powertools logger, middy and classic zod whole,
 * then measures module initialisation (import of the bundle) in fresh Node processes. Every bundle is
 * built with the deployment's options (ESM, code splitting) and loaded the same way, with import(). Prints
 * the bytes loaded at cold start, the total, the median init time per bundle and the ratio to the naive ESM
 * bundle (`naive-esm`); the naive CommonJS bundle (`naive`, loaded with require) is shown for reference.
 *
 * Then the triage bundle's first invocation in the same kind of fresh process, against local servers
 * (dynalite, stubs of SNS, Q Business ChatSync and CloudTrail LookupEvents; no AWS): whatever the handler
 * leaves for its first request (lazy clients, first DynamoDB call, the alert path) shows up there, beside init.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStateTable, startDynamo, type LocalDynamo } from '../test/support/dynalite';
import { startHttpStub, TEST_CREDENTIALS, type HttpStub } from '../test/support/http-stub';
import { publishedMessages, snsPublished } from '../test/support/sns-stub';

interface Built {
  name: string;
  outfile: string;
  bytes: number;
  totalBytes: number;
}
interface BuildModule {
  ROOT: string;
  bundle(entry: string, outdir: string): Promise<{ outfile: string; bytes: number; totalBytes: number }>;
  buildFunctionBundles(): Promise<{ built: Built[]; missing: string[] }>;
  esbuildOptions(): BuildOptions;
}

const RUNS = Number(process.env.COLDSTART_RUNS ?? 15);

/** What a handler written without care for cold starts pulls in. */
const NAIVE_ENTRY = `
import * as sns from '@aws-sdk/client-sns';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as qbusiness from '@aws-sdk/client-qbusiness';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as logger from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import * as zod from 'zod';
export const loaded = { sns, dynamodb, qbusiness, cloudtrail, logger, middy, zod };
`;

function initMs(bundlePath: string): number {
  // Each kind the way Lambda loads it: require() for the CommonJS naive bundle (import() would add the
  // CommonJS export scan of a 1 MB file), import() for the ESM function bundles.
  const load = bundlePath.endsWith('.mjs')
    ? `await import(${JSON.stringify(pathToFileURL(bundlePath).href)})`
    : `createRequire(import.meta.url)(${JSON.stringify(bundlePath)})`;
  const script = `import { createRequire } from 'node:module';const t=process.hrtime.bigint();${load};console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const result = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], {
    env: benchEnv(),
    encoding: 'utf8',
  });
  const value = Number(result.stdout.trim().split('\n').pop());
  if (result.status !== 0 || !Number.isFinite(value)) {
    throw new Error(`init of ${bundlePath} failed (exit ${String(result.status)}): ${result.stderr.slice(0, 500)}`);
  }
  return value;
}

/** Handlers read their configuration at load; give them a plausible environment, no AWS access. */
function benchEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    STATE_TABLE: 'bench-state',
    ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench-alerts',
    PAGING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench-paging',
    SELF_PRINCIPALS: 'arn:aws:iam::111122223333:role/bench-*',
    AWS_PLAYBOOKS_BUCKET: 'bench-aws-playbooks',
    CUSTOM_PLAYBOOKS_BUCKET: 'bench-custom-playbooks',
    EVENT_RULE_NAMES: 'bench-activity,bench-read-only',
    // Production-like triage: enrichment from Q Business and principal context on.
    ENRICH_SOURCE: 'qbusiness',
    QBUSINESS_APPLICATION_ID: '3f1b2c4d-0000-4000-8000-000000000001',
    CONTEXT_ENABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
}

interface FirstInvocation {
  init: number;
  first: number;
  failures: number;
}

/** The first-invocation scenarios: one alert (enrichment, context, SNS, paging) and one event that raises none. */
const FIRST_INVOCATIONS = [
  { name: 'alert', file: 'events/qbusiness/create-plugin.json', alerts: 1 },
  { name: 'no alert', file: 'events/q/send-message.json', alerts: 0 },
] as const;

interface LocalAws {
  readonly dynamo: LocalDynamo;
  readonly sns: HttpStub;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

async function startLocalAws(): Promise<LocalAws> {
  const dynamo = await startDynamo('coldstart-0');
  const sns = await startHttpStub((_request, index) => snsPublished(index));
  const qbusiness = await startHttpStub(() => ({
    status: 200,
    body: JSON.stringify({
      conversationId: 'c-1',
      systemMessageId: 'm-2',
      systemMessage: 'Review the plugin; delete it if it was not approved.',
      sourceAttributions: [],
    }),
  }));
  const cloudtrail = await startHttpStub(() => ({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Events: [] }),
  }));
  return {
    dynamo,
    sns,
    env: {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_ENDPOINT_URL_QBUSINESS: qbusiness.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.endpoint,
      SELF_PRINCIPALS: 'arn:aws:iam::*:role/q-triage-*',
    },
    async close() {
      await Promise.all([sns.close(), qbusiness.close(), cloudtrail.close()]);
      await dynamo.close();
    },
  };
}

/**
 * Import of the bundle, then one invocation of its (middy-wrapped) handler with a sample SQS batch, in a
 * fresh process. Asynchronous: the local servers run in this process.
 */
async function firstInvocation(
  bundlePath: string,
  eventFile: string,
  local: LocalAws,
  tableName: string,
): Promise<FirstInvocation> {
  const event = readFileSync(path.join(__dirname, '..', eventFile), 'utf8');
  const context = {
    functionName: 'q-triage-bench-triage',
    functionVersion: '$LATEST',
    memoryLimitInMB: '1024',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:q-triage-bench-triage',
    awsRequestId: 'bench-1',
  };
  const script = [
    `const t0=process.hrtime.bigint();const { handler }=await import(${JSON.stringify(pathToFileURL(bundlePath).href)});const t1=process.hrtime.bigint();`,
    `const response=await handler(${event},{...${JSON.stringify(context)},getRemainingTimeInMillis:()=>60000});const t2=process.hrtime.bigint();`,
    `console.log('COLDSTART '+JSON.stringify({init:Number(t1-t0)/1e6,first:Number(t2-t1)/1e6,failures:response.batchItemFailures.length}))`,
  ].join('');
  const child = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], {
    env: { ...benchEnv(), ...local.env, STATE_TABLE: tableName },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.split('\n').find((text) => text.startsWith('COLDSTART '));
  if (status !== 0 || line === undefined)
    throw new Error(`first invocation of ${bundlePath} failed (exit ${String(status)}): ${stderr.slice(0, 500)}`);
  return JSON.parse(line.slice('COLDSTART '.length)) as FirstInvocation;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const builder = (await import(path.join(__dirname, '..', 'scripts', 'build-bundles.mjs'))) as BuildModule;
  const { built, missing } = await builder.buildFunctionBundles();
  const benchDir = path.join(builder.ROOT, '.bench', 'coldstart');
  mkdirSync(benchDir, { recursive: true });
  const naiveEntry = path.join(benchDir, 'naive-entry.ts');
  writeFileSync(naiveEntry, NAIVE_ENTRY);
  // The reference of the issue: one CommonJS file, as a default serverless-esbuild build makes it
  // (about 1.1 MB); and the same imports built with our options, to show what splitting alone does.
  const naiveCjsFile = path.join(benchDir, 'naive-cjs', 'index.js');
  await build({
    ...builder.esbuildOptions(),
    format: 'cjs',
    splitting: false,
    banner: {},
    outExtension: {},
    entryPoints: [naiveEntry],
    outfile: naiveCjsFile,
    logLevel: 'error',
  });
  const naiveCjsBytes = statSync(naiveCjsFile).size;
  const naiveSplit = await builder.bundle(naiveEntry, path.join(benchDir, 'naive-esm'));

  const bundles: Built[] = [
    { name: 'naive', outfile: naiveCjsFile, bytes: naiveCjsBytes, totalBytes: naiveCjsBytes },
    { name: 'naive-esm', ...naiveSplit },
    ...built,
  ];
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  // Interleave the bundles so that machine noise spreads evenly over them.
  for (let run = 0; run < RUNS; run += 1) {
    for (const b of bundles) samples.get(b.name)!.push(initMs(b.outfile));
  }

  // The ratio compares bundles loaded the same way (import()); `naive` (CommonJS, require) is for reference.
  const naiveMs = median(samples.get('naive-esm')!);
  const lines = [`node ${process.version}, ${RUNS} fresh processes per bundle, median module init`, ''];
  lines.push(
    `${'bundle'.padEnd(10)} ${'at start'.padStart(12)} ${'in all'.padStart(12)} ${'init ms'.padStart(9)} ${'x naive'.padStart(8)}`,
  );
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  for (const b of bundles) {
    const ms = median(samples.get(b.name)!);
    lines.push(
      `${b.name.padEnd(10)} ${kib(b.bytes).padStart(12)} ${kib(b.totalBytes).padStart(12)} ${ms.toFixed(1).padStart(9)} ${(ms / naiveMs).toFixed(2).padStart(8)}`,
    );
  }
  for (const name of missing) lines.push(`${name.padEnd(10)} (not measured: functions/${name}/handler.ts is missing)`);
  const triage = samples.get('triage');
  if (triage)
    lines.push(
      '',
      `goal: triage init <= 0.5 x naive-esm -> ${(median(triage) / naiveMs).toFixed(2)} (${median(triage) / naiveMs <= 0.5 ? 'met' : 'NOT met'})`,
    );
  const triageBundle = bundles.find((b) => b.name === 'triage');
  if (triageBundle) lines.push('', ...(await firstInvocationLines(triageBundle.outfile, naiveMs)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Init + first invocation of the triage bundle per scenario, each run on a table of its own (no duplicates). */
async function firstInvocationLines(bundlePath: string, naiveMs: number): Promise<string[]> {
  const local = await startLocalAws();
  try {
    const samples = new Map(FIRST_INVOCATIONS.map((scenario) => [scenario.name, [] as FirstInvocation[]]));
    let table = 0;
    for (let run = 0; run < RUNS; run += 1) {
      for (const scenario of FIRST_INVOCATIONS) {
        table += 1;
        const tableName = `coldstart-${String(table)}`;
        await createStateTable(local.dynamo.client, tableName);
        const published = publishedMessages(local.sns.requests).length;
        const sample = await firstInvocation(bundlePath, scenario.file, local, tableName);
        // The figures mean something only if the invocation did the work: nothing failed, the alert went out.
        // First messages only: with enrichment on, the answer follows as a message of its own (page first).
        const alerts = publishedMessages(local.sns.requests)
          .slice(published)
          .filter((message) => message.topicArn.endsWith('bench-alerts') && message.attributes.kind === 'new').length;
        if (sample.failures !== 0 || alerts !== scenario.alerts)
          throw new Error(
            `${scenario.name}: ${String(sample.failures)} failed records, ${String(alerts)} alerts (expected ${String(scenario.alerts)})`,
          );
        samples.get(scenario.name)!.push(sample);
      }
    }
    const lines = [
      `triage first invocation (${String(RUNS)} fresh processes per scenario, local dynalite and SNS/Q Business/CloudTrail stubs, medians)`,
      '',
    ];
    lines.push(
      `${'scenario'.padEnd(10)} ${'init ms'.padStart(9)} ${'1st call'.padStart(9)} ${'init+1st'.padStart(9)} ${'/naive init'.padStart(11)}  event`,
    );
    for (const scenario of FIRST_INVOCATIONS) {
      const runs = samples.get(scenario.name)!;
      const total = median(runs.map((r) => r.init + r.first));
      lines.push(
        `${scenario.name.padEnd(10)} ${median(runs.map((r) => r.init))
          .toFixed(1)
          .padStart(9)} ${median(runs.map((r) => r.first))
          .toFixed(1)
          .padStart(9)} ${total.toFixed(1).padStart(9)} ${(total / naiveMs).toFixed(2).padStart(11)}  ${scenario.file}`,
      );
    }
    return lines;
  } finally {
    await local.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
