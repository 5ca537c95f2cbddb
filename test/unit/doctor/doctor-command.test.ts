/** `q-triage doctor` output and exit status, on stubbed accounts. */
import { PassThrough } from 'node:stream';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { createDoctorCommand } from '../../../shared/cli/commands/doctor';
import type { CliIo } from '../../../shared/cli/command';
import { doctorDeps, mocks, readyAccount } from './accounts';

beforeEach(() => {
  readyAccount();
});

async function runCommand(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
  const code = await createDoctorCommand(() => doctorDeps()).run(args, io);
  return { code, stdout: text };
}

test('exits 0 and reports PASS for a ready account', async () => {
  const { code, stdout } = await runCommand([]);

  expect(code).toBe(0);
  expect(stdout).toContain('Readiness: PASS');
});

test('exits 1 and prints the fix when a check fails', async () => {
  mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });

  const { code, stdout } = await runCommand([]);

  expect(code).toBe(1);
  expect(stdout).toMatch(/FAIL\s+alerts-subscription/);
  expect(stdout).toContain('fix: aws sns subscribe');
});

test('prints one JSON document with --format json', async () => {
  const { stdout } = await runCommand(['--format', 'json']);

  const report = JSON.parse(stdout) as { status: string; checks: { id: string }[] };
  expect(report.status).toBe('PASS');
  expect(report.checks).toHaveLength(11);
});

test('rejects an unknown format', async () => {
  await expect(runCommand(['--format', 'yaml'])).rejects.toThrow('--format must be text or json');
});
