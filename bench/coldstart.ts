/**
 * `npm run bench:coldstart`: builds the function bundles (scripts/build-bundles.mjs) and a naive
 * bundle that imports all four SDK clients, the powertools logger, middy and classic zod whole,
 * then measures module initialisation (import of the bundle) in fresh Node processes. Every bundle is
 * built with the deployment's options (ESM, code splitting). Prints the bytes loaded at cold start,
 * the total, the median init time per bundle and the ratio to the naive bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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
  const load = bundlePath.endsWith('.mjs') ? `await import(${JSON.stringify(pathToFileURL(bundlePath).href)})` : `createRequire(import.meta.url)(${JSON.stringify(bundlePath)})`;
  const script = `import { createRequire } from 'node:module';const t=process.hrtime.bigint();${load};console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  // Handlers read their configuration at load; give them a plausible environment, no AWS access.
  const env = {
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
  const result = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { env, encoding: 'utf8' });
  const value = Number(result.stdout.trim().split('\n').pop());
  if (result.status !== 0 || !Number.isFinite(value)) {
    throw new Error(`init of ${bundlePath} failed (exit ${String(result.status)}): ${result.stderr.slice(0, 500)}`);
  }
  return value;
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
  await build({ ...builder.esbuildOptions(), format: 'cjs', splitting: false, banner: {}, outExtension: {}, entryPoints: [naiveEntry], outfile: naiveCjsFile, logLevel: 'error' });
  const naiveCjsBytes = statSync(naiveCjsFile).size;
  const naiveSplit = await builder.bundle(naiveEntry, path.join(benchDir, 'naive-esm'));

  const bundles: Built[] = [{ name: 'naive', outfile: naiveCjsFile, bytes: naiveCjsBytes, totalBytes: naiveCjsBytes }, { name: 'naive-esm', ...naiveSplit }, ...built];
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  // Interleave the bundles so that machine noise spreads evenly over them.
  for (let run = 0; run < RUNS; run += 1) {
    for (const b of bundles) samples.get(b.name)!.push(initMs(b.outfile));
  }

  const naiveMs = median(samples.get('naive')!);
  const lines = [`node ${process.version}, ${RUNS} fresh processes per bundle, median module init`, ''];
  lines.push(`${'bundle'.padEnd(10)} ${'at start'.padStart(12)} ${'in all'.padStart(12)} ${'init ms'.padStart(9)} ${'x naive'.padStart(8)}`);
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  for (const b of bundles) {
    const ms = median(samples.get(b.name)!);
    lines.push(`${b.name.padEnd(10)} ${kib(b.bytes).padStart(12)} ${kib(b.totalBytes).padStart(12)} ${ms.toFixed(1).padStart(9)} ${(ms / naiveMs).toFixed(2).padStart(8)}`);
  }
  for (const name of missing) lines.push(`${name.padEnd(10)} (not measured: functions/${name}/handler.ts is missing)`);
  const triage = samples.get('triage');
  if (triage) lines.push('', `goal: triage init <= 0.5 x naive -> ${(median(triage) / naiveMs).toFixed(2)} (${median(triage) / naiveMs <= 0.5 ? 'met' : 'NOT met'})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
