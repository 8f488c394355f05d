import type { Command } from '../command';
import { tenantsCreateCommand, keysCreateCommand } from './admin-commands';
import {
  batchesCancelCommand,
  batchesCreateCommand,
  batchesGetCommand,
  batchesListCommand,
  batchesResultsCommand,
} from './batch-commands';
import { cancelCommand, getCommand, listCommand, submitCommand } from './job-commands';
import { usageCommand } from './usage-command';

/** Every API command, in the order help lists them. `dev` and `simulator` are run apart (main.ts). */
export const COMMANDS: readonly Command[] = [
  submitCommand,
  getCommand,
  listCommand,
  cancelCommand,
  usageCommand,
  batchesCreateCommand,
  batchesGetCommand,
  batchesResultsCommand,
  batchesCancelCommand,
  batchesListCommand,
  tenantsCreateCommand,
  keysCreateCommand,
];

const BY_NAME = new Map(COMMANDS.map((command) => [command.name, command]));
/** Words that only group commands: `batches`, `tenants`, `keys`. */
const GROUPS = new Set(
  COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!),
);

export type Lookup =
  | { kind: 'command'; command: Command; rest: string[] }
  | { kind: 'group'; group: string; rest: string[] }
  | { kind: 'unknown'; words: string };

/** Finds the command the first one or two words name. */
export function lookupCommand(argv: string[]): Lookup {
  const [first = '', second = '', ...after] = argv;
  if (GROUPS.has(first)) {
    const command = BY_NAME.get(`${first} ${second}`);
    if (command) return { kind: 'command', command, rest: after };
    if (second === '' || second.startsWith('-'))
      return { kind: 'group', group: first, rest: argv.slice(1) };
    return { kind: 'unknown', words: `${first} ${second}` };
  }
  const command = BY_NAME.get(first);
  return command
    ? { kind: 'command', command, rest: argv.slice(1) }
    : { kind: 'unknown', words: first };
}

export const commandsInGroup = (group: string): Command[] =>
  COMMANDS.filter((command) => command.name.startsWith(`${group} `));
