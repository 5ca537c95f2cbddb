/** The installed CLI's exit statuses and one-line messages (shared/cli/command.ts ExitCode), run as a user runs it. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli, REPO_ROOT, runCli, type BuiltCli } from '../../support/built-cli';

let cli: BuiltCli;
let scratch: string;

beforeAll(() => {
  cli = buildCli();
  scratch = mkdtempSync(path.join(tmpdir(), 'q-triage-inputs-'));
  mkdirSync(path.join(scratch, 'empty-dir'));
  writeFileSync(path.join(scratch, 'empty.json'), '');
  writeFileSync(
    path.join(scratch, 'bad-severity.yaml'),
    'rows:\n  - eventName: DeleteConversation\n    severity: SEVERE\n',
  );
}, 120_000);

afterAll(() => {
  cli.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const SELF = 'arn:aws:sts::*:assumed-role/q-triage-*';

/** stderr is exactly one line naming the problem, optionally followed by the pointer to --help. */
function expectOneLine(stderr: string, problem: RegExp, withHelp: boolean): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(problem);
  expect(lines.slice(1)).toEqual(withHelp ? [expect.stringMatching(/^See `q-triage( \w+)? --help`\.$/)] : []);
}

describe('the command line', () => {
  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

    const run = await runCli(cli, ['--version']);

    expect([run.code, run.stdout]).toEqual([0, `q-triage ${version}\n`]);
  });

  test('--help lists the commands on stdout and exits 0', async () => {
    const run = await runCli(cli, ['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: q-triage <command>/);
    expect(run.stdout).toContain('redrive');
  });

  test('no command: the help on stderr, exit 2', async () => {
    const run = await runCli(cli, []);

    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^Usage: q-triage/);
  });

  test('an unknown command: one line with a did-you-mean, exit 2', async () => {
    const run = await runCli(cli, ['rplay', 'events']);

    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^q-triage: unknown command "rplay" \(did you mean "replay"\?\)$/, true);
  });

  test("an unknown option: one line with a did-you-mean, not node:util's message, exit 2", async () => {
    const run = await runCli(cli, ['replay', '--formt', 'json', 'events']);

    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^q-triage replay: unknown option --formt \(did you mean --format\?\)$/, true);
  });

  test('an option without its value, exit 2', async () => {
    const run = await runCli(cli, ['replay', 'events', '--rules']);

    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^q-triage replay: --rules needs a value$/, true);
  });
});

describe('replay: inputs and option values it cannot run on exit 2, before any output', () => {
  test.each([
    ['a missing PATH', ['nonexistent.json'], /^q-triage replay: nonexistent\.json: no such file or directory$/],
    ['a bad --format', ['--format', 'yaml', 'events'], /^q-triage replay: --format must be text or json, not "yaml"$/],
    [
      'a bad --locale',
      ['--locale', 'xx', 'events'],
      /^q-triage replay: --locale must be one of en, de, es, fr, ja, zh, not "xx"/,
    ],
    [
      'a --playbooks folder that does not exist',
      ['--playbooks', '/nonexistent-playbooks', 'events'],
      /^q-triage replay: --playbooks \/nonexistent-playbooks: no such file or directory$/,
    ],
    [
      'a --playbooks folder with no playbooks',
      ['--playbooks', 'EMPTY_DIR', 'events'],
      /^q-triage replay: --playbooks .*empty-dir: no playbook markdown \(\*\.md\) in it$/,
    ],
    [
      'a missing --rules file',
      ['--rules', 'nope.yaml', 'events'],
      /^q-triage replay: --rules nope\.yaml: no such file or directory$/,
    ],
    [
      'a bad severity in the rules file',
      ['--rules', 'BAD_RULES', 'events'],
      /^q-triage replay: --rules .*bad-severity\.yaml.*severity/,
    ],
  ])('%s', async (_case, args, problem) => {
    const run = await runCli(
      cli,
      ['replay', ...args].map((arg) =>
        arg === 'EMPTY_DIR'
          ? path.join(scratch, 'empty-dir')
          : arg === 'BAD_RULES'
            ? path.join(scratch, 'bad-severity.yaml')
            : arg,
      ),
    );

    expect([run.code, run.stdout]).toEqual([2, '']);
    expectOneLine(run.stderr, problem, true);
  });

  test.each([
    ['an empty folder', 'empty-dir'],
    ['an empty file', 'empty.json'],
  ])('%s: no events, exit 2', async (_case, input) => {
    const run = await runCli(cli, ['replay', '--no-enrich', '--format', 'json', input], { cwd: scratch });

    expect(run.code).toBe(2);
    expectOneLine(run.stderr, new RegExp(`^q-triage replay: no events in ${input} \\(1 inputs rejected\\)$`), false);
  });
});

describe('replay over the sample events', () => {
  test('rejected records are reported, exit 0, nothing on stderr', async () => {
    const run = await runCli(cli, ['replay', '--no-enrich', '--self-principal', SELF, 'events']);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('Rejected inputs');
  });

  test('--strict: exit 1, naming the rejected inputs', async () => {
    const run = await runCli(cli, ['replay', '--strict', '--no-enrich', '--self-principal', SELF, 'events']);

    expect(run.code).toBe(1);
    // Other services' records are passed over, not rejected: the three damaged records, each named.
    expectOneLine(
      run.stderr,
      /^q-triage replay: --strict: 3 inputs rejected: events\/qbusiness\/mixed-batch-with-bad-records\.json#1 \(.*\); .*#2 \(.*\); .*#3 \(.*\)$/,
      false,
    );
  });

  test('a self-principal glob that hides most events warns, and the run still succeeds', async () => {
    const run = await runCli(cli, ['replay', '--no-enrich', '--self-principal', '*', 'events']);

    expect(run.code).toBe(0);
    expectOneLine(
      run.stderr,
      /^q-triage replay: warning: 48 of 50 events match --self-principal\/SELF_PRINCIPALS and are never alerted/,
      false,
    );
  });

  test('a reader that stops reading (| head -1) ends the run quietly', async () => {
    // Enough output that the writes outlast the pipe's buffer.
    const records = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({
        eventVersion: '1.09',
        eventTime: '2026-11-20T10:00:00Z',
        eventSource: 'qbusiness.amazonaws.com',
        eventName: 'ListApplications',
        awsRegion: 'us-east-1',
        eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        userIdentity: {
          type: 'IAMUser',
          arn: 'arn:aws:iam::111122223333:user/alice',
          accountId: '111122223333',
          principalId: 'AIDAEXAMPLE',
        },
        sourceIPAddress: '192.0.2.1',
        eventType: 'AwsApiCall',
        recipientAccountId: '111122223333',
      }),
    );
    writeFileSync(path.join(scratch, 'many.jsonl'), `${records.join('\n')}\n`);

    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli.bin, 'replay', '--format', 'json', path.join(scratch, 'many.jsonl')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (exitCode) => resolve({ code: exitCode, stderr: errors }));
    });

    expect([code, stderr]).toEqual([0, '']);
  });
});

describe('AWS commands check the Region and credentials before their first call', () => {
  test("redrive without credentials: one line in the AWS CLI's words, exit 2, no SDK warning about Node versions", async () => {
    const run = await runCli(cli, [
      'redrive',
      '--dlq-arn',
      'arn:aws:sqs:us-east-1:111122223333:q-triage-dlq',
      '--status',
    ]);

    expect(run.code).toBe(2);
    expectOneLine(
      run.stderr,
      /^q-triage redrive: Unable to locate credentials\. You can configure credentials by running "aws configure"\.$/,
      false,
    );
  });

  test('doctor without a Region: one line, not one FAIL per check', async () => {
    const run = await runCli(cli, ['doctor'], {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });

    expect([run.code, run.stdout]).toEqual([2, '']);
    expectOneLine(run.stderr, /^q-triage doctor: You must specify a region/, false);
  });

  test('resync without credentials: one line, exit 2', async () => {
    const run = await runCli(cli, ['resync', '--dry-run'], {
      env: {
        AWS_REGION: 'us-east-1',
        PLAYBOOK_REPOSITORY: 'aws-samples/aws-incident-response-playbooks',
        AWS_PLAYBOOKS_BUCKET: 'q-triage-playbooks-111122223333',
      },
    });

    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^q-triage resync: Unable to locate credentials/, false);
  });
});
