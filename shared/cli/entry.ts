/**
 * The `q-triage` executable: the entry of the CLI bundle (scripts/build-cli.mjs → dist/cli/q-triage.cjs,
 * loaded by bin/q-triage.js). The one place that touches the real process: streams, exit code, EPIPE.
 */
import { main } from './main';

// The SDK's own notice about future Node versions is for the people who maintain q-triage, not for its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A reader that stopped reading (`q-triage replay logs/ | head -1`) ends the run quietly, as `cat` does. */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main() turns every expected failure into a message and a code: anything reaching here is a bug.
    process.stderr.write(
      `q-triage: internal error: ${error instanceof Error && error.stack !== undefined ? error.stack : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
