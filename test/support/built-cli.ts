/**
 * The q-triage CLI as it is installed: scripts/build-cli.mjs (what `npm ci` runs through `prepare`) builds
 * the bundles into a scratch copy of the package layout (bin/q-triage.js, dist/cli), and the tests run
 * `node bin/q-triage.js` there, as a user's shell would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface BuiltCli {
  readonly dir: string;
  readonly bin: string;
  remove(): void;
}

export function buildCli(): BuiltCli {
  const dir = mkdtempSync(path.join(tmpdir(), 'q-triage-cli-'));
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(ROOT, 'bin', 'q-triage.js'), path.join(dir, 'bin', 'q-triage.js'));
  const built = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts', 'build-cli.mjs'), path.join(dir, 'dist', 'cli')],
    { encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`build-cli failed: ${built.stderr}`);
  return {
    dir,
    bin: path.join(dir, 'bin', 'q-triage.js'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `args` in `cwd`, with no AWS credentials or Region from the test's environment. */
export function runCli(
  cli: BuiltCli,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: options.cwd ?? ROOT,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.bin, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export { ROOT as REPO_ROOT };
