import { clientFromEnv } from './client-from-env';
import { parseCommandLine } from './command';
import { commandHelp, groupHelp, mainHelp } from './commands/help-text';
import { lookupCommand } from './commands/registry';
import { errorLine } from './error-line';
import { ExitCode, exitCodeOf } from './exit-codes';
import { Output, type OutStream } from './output/output';

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs one API command line to its exit code: look the command up, parse its flags, run it, and
 * turn any error into one line on stderr and its documented code. Never exits the process itself.
 */
export async function runCommand(argv: string[], io: Io): Promise<ExitCode> {
  const [first] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp());
    return ExitCode.usage;
  }
  if (first === 'help' || first === '--help' || first === '-h') return help(argv.slice(1), io);
  const found = lookupCommand(argv);
  if (found.kind === 'unknown') {
    io.stderr.write(`switchyard: unknown command "${found.words}"; run "switchyard help"\n`);
    return ExitCode.usage;
  }
  if (found.kind === 'group') {
    const asked = found.rest.includes('--help') || found.rest.includes('-h');
    (asked ? io.stdout : io.stderr).write(groupHelp(found.group));
    return asked ? ExitCode.ok : ExitCode.usage;
  }
  const { command } = found;
  try {
    const parsed = parseCommandLine(command, found.rest);
    if (parsed.help) {
      io.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    const out = new Output(parsed.json, io.stdout, io.stderr, io.env);
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      out,
      client: () => clientFromEnv(io.env, command.admin === true),
    });
  } catch (error) {
    io.stderr.write(errorLine(error, command.name));
    return exitCodeOf(error);
  }
}

/** `switchyard help [command words]`. */
function help(words: string[], io: Io): ExitCode {
  if (words.length === 0) {
    io.stdout.write(mainHelp());
    return ExitCode.ok;
  }
  const found = lookupCommand(words);
  if (found.kind === 'command') io.stdout.write(commandHelp(found.command));
  else if (found.kind === 'group') io.stdout.write(groupHelp(found.group));
  else {
    io.stderr.write(`switchyard: unknown command "${found.words}"; run "switchyard help"\n`);
    return ExitCode.usage;
  }
  return ExitCode.ok;
}
