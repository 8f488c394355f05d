import { devCommand } from './commands/dev';
import { DEV_HELP } from './commands/help-text';
import { simulatorCommand } from './commands/simulator-command';
import { runCommand } from './run-command';

/**
 * `switchyard`. `dev` and `simulator` run until stopped and own their signals and exits; every
 * other command runs to an exit code, and the process exits with it at once: after a Ctrl-C the
 * abandoned long-poll must not hold the process open. (stdout and stderr are synchronous on
 * Linux for files, pipes and terminals, so nothing written is lost by exiting.)
 */
const [command, ...rest] = process.argv.slice(2);
if (command === 'dev' && (rest.includes('--help') || rest.includes('-h'))) {
  process.stdout.write(DEV_HELP);
} else if (command === 'dev') {
  devCommand().catch((error: unknown) => {
    process.stderr.write(`switchyard: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
} else if (command === 'simulator') {
  simulatorCommand(rest, process.env);
} else {
  void runCommand(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then((code) => process.exit(code));
}
