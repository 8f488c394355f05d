import { devCommand } from './commands/dev';
import { DEV_HELP } from './commands/help-text';
import { simulatorCommand } from './commands/simulator-command';

/**
 * `switchyard dev` and `switchyard simulator`: they run until stopped and own their signals and
 * exits (bin/switchyard.js sends only these two here).
 */
const [command, ...rest] = process.argv.slice(2);
if (command === 'simulator') {
  simulatorCommand(rest, process.env);
} else if (rest.includes('--help') || rest.includes('-h')) {
  process.stdout.write(DEV_HELP);
} else {
  devCommand().catch((error: unknown) => {
    process.stderr.write(`switchyard: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
