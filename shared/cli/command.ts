/** A `q-triage` sub-command. Each lives in shared/cli/commands/<name>.ts and is listed in shared/cli/main.ts. */
import { QTriageError } from '../errors';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  /** One line for `q-triage --help`. */
  readonly summary: string;
  /** Full usage text for `q-triage <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. Throw `UsageError` for bad arguments or inputs the command cannot run on. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The CLI's exit statuses, as jq, git and the AWS CLI use them. */
export const ExitCode = {
  ok: 0,
  /** The command ran and found a failure: --strict rejections, a doctor FAIL, a failed resync or AWS call. */
  failure: 1,
  /** It could not run as asked: a bad option or value, a missing or empty input, no credentials or Region. */
  usage: 2,
} as const;

/** Reported as one line plus "see --help", exit 2. */
export class UsageError extends QTriageError {
  override readonly name = 'UsageError';
}

/** By name, not instanceof: each command is a bundle of its own (scripts/build-cli.mjs), with its own copy of the class. */
export const isUsageError = (error: unknown): error is UsageError =>
  error instanceof Error && error.name === 'UsageError';

/** The run cannot reach AWS as configured (no Region, no credentials): exit 2, one line, no help text. */
export class AwsSetupError extends QTriageError {
  override readonly name = 'AwsSetupError';
}

export const isAwsSetupError = (error: unknown): error is AwsSetupError =>
  error instanceof Error && error.name === 'AwsSetupError';
