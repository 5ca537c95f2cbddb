/**
 * `npm run bench:coldstart`: builds the function bundles (scripts/build-bundles.mjs) and a naive
 * bundle that imports all four SDK clients, the powertools logger, middy and classic zod whole,
 * then measures module initialisation (require of the bundle) in fresh Node processes.
 * Prints size and median init time per bundle and the ratio to the naive bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Built {
  name: string;
  outfile: string;
  bytes: number;
}
interface BuildModule {
  ROOT: string;
  bundle(entry: string, outfile: string): Promise<{ outfile: string; bytes: number }>;
  buildFunctionBundles(): Promise<{ built: Built[]; missing: string[] }>;
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
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundlePath)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
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
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const result = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
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
  const naive = await builder.bundle(naiveEntry, path.join(benchDir, 'naive', 'index.js'));

  const bundles: Built[] = [{ name: 'naive', ...naive }, ...built];
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  // Interleave the bundles so that machine noise spreads evenly over them.
  for (let run = 0; run < RUNS; run += 1) {
    for (const b of bundles) samples.get(b.name)!.push(initMs(b.outfile));
  }

  const naiveMs = median(samples.get('naive')!);
  const lines = [`node ${process.version}, ${RUNS} fresh processes per bundle, median module init`, ''];
  lines.push(`${'bundle'.padEnd(10)} ${'size'.padStart(10)} ${'init ms'.padStart(9)} ${'x naive'.padStart(8)}`);
  for (const b of bundles) {
    const ms = median(samples.get(b.name)!);
    lines.push(`${b.name.padEnd(10)} ${`${(b.bytes / 1024).toFixed(1)} KiB`.padStart(10)} ${ms.toFixed(1).padStart(9)} ${(ms / naiveMs).toFixed(2).padStart(8)}`);
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
