#!/usr/bin/env node
/**
 * Starts one function the way the Lambda Node.js runtime does, in a process of its own: the deployment
 * zip unpacked into a fresh task root, the handler module resolved from the function's `Handler`
 * (`.js`, `.mjs`, then `.cjs`), imported (the cold start), then called once with the event, if one is given.
 * The environment is the caller's, untouched: the test passes exactly what the template gives the function.
 *
 *   node lambda-boot.mjs ZIP HANDLER RESULT_FILE [EVENT_FILE]
 *
 * Writes `{ phase: 'init' | 'invoke', ok, result?, error? }` to RESULT_FILE: stdout belongs to the function's logs.
 */
import { mkdirSync, mkdtempSync, existsSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import yauzl from 'yauzl';

const [zipFile, handlerSpec, resultFile, eventFile] = process.argv.slice(2);
if (zipFile === undefined || handlerSpec === undefined || resultFile === undefined) {
  process.stderr.write('usage: lambda-boot.mjs ZIP HANDLER RESULT_FILE [EVENT_FILE]\n');
  process.exit(2);
}

async function unzip(file, into) {
  const zip = await yauzl.openPromise(file);
  try {
    for await (const entry of zip.eachEntry()) {
      const target = path.join(into, entry.fileName);
      if (!target.startsWith(into + path.sep)) throw new Error(`zip entry outside the task root: ${entry.fileName}`);
      if (entry.fileName.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
    }
  } finally {
    zip.close();
  }
}

function describeError(error) {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'NonError', message: String(error) };
}

function report(outcome) {
  writeFileSync(resultFile, JSON.stringify(outcome));
}

const taskRoot = mkdtempSync(path.join(tmpdir(), 'q-triage-task-'));
// The unpacked function goes with this process, however it ends.
process.on('exit', () => rmSync(taskRoot, { recursive: true, force: true }));
await unzip(zipFile, taskRoot);
const dot = handlerSpec.lastIndexOf('.');
const modulePath = handlerSpec.slice(0, dot);
const exportName = handlerSpec.slice(dot + 1);
const file = ['.js', '.mjs', '.cjs']
  .map((extension) => path.join(taskRoot, modulePath + extension))
  .find((candidate) => existsSync(candidate));

let handler;
try {
  if (file === undefined) throw new Error(`no module ${modulePath}(.js|.mjs|.cjs) in ${zipFile}`);
  const loaded = await import(pathToFileURL(file).href);
  handler = loaded[exportName];
  if (typeof handler !== 'function') throw new Error(`${file} exports no function ${exportName}`);
} catch (error) {
  report({ phase: 'init', ok: false, error: describeError(error) });
  process.exit(0);
}

if (eventFile === undefined) {
  report({ phase: 'init', ok: true });
  process.exit(0);
}

const started = Date.now();
const timeoutMs = 30_000;
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
  awsRequestId: '11111111-2222-4333-8444-555555555555',
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: 'boot-test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
};
try {
  const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
  report({ phase: 'invoke', ok: true, result });
} catch (error) {
  report({ phase: 'invoke', ok: false, error: describeError(error) });
}
process.exit(0);
