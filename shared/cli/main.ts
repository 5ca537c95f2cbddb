/** `q-triage <command>`: dispatches to the commands in shared/cli/commands. */
import { ExitCode, isAwsSetupError, isUsageError, type CliIo, type Command } from './command';
import { didYouMean } from './options';
import { errorMessage } from '../errors';

type CommandLoader = () => Command;

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous lazy loading: `q-triage replay`
   must not pay for the SDK clients of `resync` or `doctor`. In the CLI bundle each require is of that
   command's own bundle (scripts/build-cli.mjs); under jest and tsx, of its source. */
const COMMANDS: Readonly<Record<string, { summary: string; load: CommandLoader }>> = {
  replay: {
    summary: 'Triage CloudTrail log files locally and print the alerts',
    load: () => (require('./commands/replay') as typeof import('./commands/replay')).replayCommand,
  },
  playbooks: {
    summary: 'Show how the playbook event tables resolve to operations, and the drift',
    load: () => (require('./commands/playbooks') as typeof import('./commands/playbooks')).playbooksCommand,
  },
  resync: {
    summary: 'Sync the playbooks to S3 and start the Q Business data source syncs',
    load: () => (require('./commands/resync') as typeof import('./commands/resync')).resyncCommand,
  },
  doctor: {
    summary: 'Check that the account is ready: trails, data events, rules, subscriptions, Q',
    load: () => (require('./commands/doctor') as typeof import('./commands/doctor')).doctorCommand,
  },
  redrive: {
    summary: 'Move messages from the dead-letter queue back to the buffer, idempotently',
    load: () => (require('./commands/redrive') as typeof import('./commands/redrive')).redriveCommand,
  },
};

/** The bundle has the package version built in (scripts/build-cli.mjs); the sources read package.json. */
const VERSION: string = process.env.Q_TRIAGE_VERSION ?? (require('../../package.json') as { version: string }).version;
/* eslint-enable @typescript-eslint/no-require-imports */

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    'Usage: q-triage <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `q-triage <command> --help` for its options; `q-triage --version` for the version.',
    'Exit status: 0 done, 1 the command ran and found a failure (--strict, doctor FAIL), 2 it could not run as asked.',
  ].join('\n');
}

/** One line naming the problem, and where to read more: usage errors do not bury it under the whole help. */
function usageError(io: CliIo, prefix: string, message: string, helpCommand: string): number {
  io.stderr.write(`${prefix}: ${message}\nSee \`${helpCommand} --help\`.\n`);
  return ExitCode.usage;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`q-triage ${VERSION}\n`);
    return ExitCode.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${help()}\n`);
    return ExitCode.ok;
  }
  if (name === undefined) {
    io.stderr.write(`${help()}\n`);
    return ExitCode.usage;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    const suggestion = didYouMean(name, Object.keys(COMMANDS));
    return usageError(
      io,
      'q-triage',
      `unknown command "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`,
      'q-triage',
    );
  }
  const command = entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isUsageError(error)) return usageError(io, `q-triage ${name}`, error.message, `q-triage ${name}`);
    if (isAwsSetupError(error)) {
      io.stderr.write(`q-triage ${name}: ${error.message}\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`q-triage ${name}: ${errorMessage(error)}\n`);
    return ExitCode.failure;
  }
}
