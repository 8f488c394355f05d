import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { SwitchyardClient } from '@switchyard/sdk';
import type { ExitCode } from './exit-codes';
import type { Output } from './output/output';
import { UsageError } from './usage-error';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What a command is handed: its parsed arguments, where to write, and how to reach the API. */
export interface CommandContext {
  values: Map<string, string | boolean>;
  positionals: string[];
  out: Output;
  /** A client with the tenant key (SWITCHYARD_API_KEY), or the admin token for admin commands. */
  client(): SwitchyardClient;
}

/** One `switchyard …` command, e.g. `batches create`. */
export interface Command {
  /** The words that select it: `submit`, `batches create`. */
  name: string;
  /** The arguments after the name, for the usage line: `ID [--wait]`. */
  args: string;
  /** What it does, for the command list (short: the list stays within 100 columns). */
  summary: string;
  /** Its own flags and arguments for `<command> --help`: `[flag, description]`. */
  flags?: [string, string][];
  /** Further lines for `<command> --help`: what it prints, what its exit code means. */
  notes?: string;
  /** Positional arguments it requires, by name, in order. */
  positionals?: string[];
  options?: OptionSpecs;
  /** Uses the admin token rather than a tenant key. @defaultValue false */
  admin?: boolean;
  run(context: CommandContext): Promise<ExitCode>;
}

/** Flags every command takes. */
const COMMON: OptionSpecs = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface ParsedCommandLine {
  values: Map<string, string | boolean>;
  positionals: string[];
  json: boolean;
  help: boolean;
}

/**
 * Strict parsing: an unknown flag, a flag without its value, a missing or extra positional are
 * usage errors (exit 2). Values land in a Map so no flag name can reach an object prototype.
 */
export function parseCommandLine(command: Command, argv: string[]): ParsedCommandLine {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...COMMON, ...command.options },
    allowPositionals: true,
    strict: true,
  });
  const map = new Map(Object.entries(values).filter(isSet));
  const help = map.get('help') === true;
  const wanted = command.positionals ?? [];
  if (!help) {
    const missing = wanted[positionals.length];
    if (missing)
      throw new UsageError(
        `${command.name} needs ${missing}; see "switchyard ${command.name} --help"`,
      );
    const extra = positionals[wanted.length];
    if (extra !== undefined)
      throw new UsageError(`${command.name}: unexpected argument "${extra}"`);
  }
  return { values: map, positionals, json: map.get('json') === true, help };
}

const isSet = (entry: [string, unknown]): entry is [string, string | boolean] =>
  typeof entry[1] === 'string' || typeof entry[1] === 'boolean';

/** A string flag's value; undefined when absent (a boolean can only be one of the common flags). */
export function stringFlag(
  values: Map<string, string | boolean>,
  name: string,
): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** A string flag that must be given: absent or empty is a usage error naming it. */
export function requiredFlag(
  command: string,
  values: Map<string, string | boolean>,
  name: string,
  hint: string,
): string {
  const value = stringFlag(values, name);
  if (value === undefined || value === '')
    throw new UsageError(`${command} needs --${name} ${hint}`);
  return value;
}
