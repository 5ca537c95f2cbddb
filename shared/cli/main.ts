/** `q-triage <command>`: dispatches to the commands in shared/cli/commands. */
import { UsageError, type CliIo, type Command } from './command';

type CommandLoader = () => Command;

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous lazy loading: `q-triage replay`
   must not pay for the SDK clients of `resync` or `doctor`, and require() works under tsx and esbuild alike. */
const COMMANDS: Readonly<Record<string, { summary: string; load: CommandLoader }>> = {
  replay: { summary: 'Triage CloudTrail log files locally and print the alerts', load: () => (require('./commands/replay') as typeof import('./commands/replay')).replayCommand },
  playbooks: { summary: 'Show how the playbook event tables resolve to operations, and the drift', load: () => (require('./commands/playbooks') as typeof import('./commands/playbooks')).playbooksCommand },
  resync: { summary: 'Sync the playbooks to S3 and start the Q Business data source syncs', load: () => (require('./commands/resync') as typeof import('./commands/resync')).resyncCommand },
  doctor: { summary: 'Check that the account is ready: trails, data events, rules, subscriptions, Q', load: () => (require('./commands/doctor') as typeof import('./commands/doctor')).doctorCommand },
  redrive: { summary: 'Move messages from the dead-letter queue back to the buffer, idempotently', load: () => (require('./commands/redrive') as typeof import('./commands/redrive')).redriveCommand },
};
/* eslint-enable @typescript-eslint/no-require-imports */

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return ['Usage: q-triage <command> [options]', '', 'Commands:', ...lines, '', 'Run `q-triage <command> --help` for its options.'].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(`q-triage: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  const command = entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`q-triage ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`q-triage ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
