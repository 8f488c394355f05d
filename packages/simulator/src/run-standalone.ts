import { parseSimulatorArgs, SIMULATOR_USAGE, type SimulatorCliOptions } from './parse-args';
import { startSimulator } from './server';

/**
 * The simulator as a program (`npm run simulator`, `switchyard simulator`): parses flags, prints
 * where it listens and what to export, and closes cleanly on SIGINT or SIGTERM. A bad flag is
 * one line on stderr and exit 2.
 */
export function runStandalone(argv: string[], env: NodeJS.ProcessEnv): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(SIMULATOR_USAGE);
    return;
  }
  let options: SimulatorCliOptions;
  try {
    options = parseSimulatorArgs(argv, env);
  } catch (err) {
    process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  startSimulator(options).then(
    (sim) => {
      process.stdout.write(
        `Switchyard simulator listening on ${sim.url}\n` +
          `export OPENAI_BASE_URL=${sim.openaiBaseUrl} ANTHROPIC_BASE_URL=${sim.anthropicBaseUrl}\n`,
      );
      const stop = (): void => {
        void sim.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      const code = (err as { code?: unknown }).code;
      const reason =
        code === 'EADDRINUSE'
          ? `port ${options.port} is already in use (pick another with --port)`
          : err instanceof Error
            ? err.message
            : String(err);
      process.stderr.write(`simulator: ${reason}\n`);
      process.exit(1);
    },
  );
}
