import { runCommand } from './run-command';

/**
 * `switchyard <command>` for every command but `dev` and `simulator` (see server-main.ts): runs it
 * to an exit code and exits with it at once, since after a Ctrl-C an abandoned long-poll must not
 * hold the process open. stdout and stderr are synchronous on Linux for files, pipes and
 * terminals, so nothing written is lost by exiting.
 */

// A reader that stopped reading (`switchyard batches results … | head -1`) is not an error of
// ours: stop quietly, as other command-line tools do, instead of a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then((code) => process.exit(code));
