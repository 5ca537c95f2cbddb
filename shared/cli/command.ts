/** A `q-triage` sub-command. Each lives in shared/cli/commands/<name>.ts and is listed in shared/cli/main.ts. */
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
  /** Returns the process exit code. Throw `UsageError` for bad arguments. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
