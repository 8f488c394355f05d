import type { Command } from '../command';
import { DEFAULT_URL } from '../client-from-env';
import { COMMANDS, commandsInGroup } from './registry';

const EXIT_CODES = `Exit codes:
  0    succeeded
  1    failed: a followed job ended failed, canceled or expired, a waited-for batch had
       failed or canceled requests, or the API answered an error (400, 404, 409, …)
  2    usage error: unknown command or flag, missing argument, SWITCHYARD_API_KEY unset
  3    transport error: the API cannot be reached, or answered 503 after retries
  130  Ctrl-C while waiting or streaming (the job or batch keeps running)`;

const ENVIRONMENT = `Environment:
  SWITCHYARD_URL          the API (default ${DEFAULT_URL})
  SWITCHYARD_API_KEY      a tenant key, sy_live_…
  SWITCHYARD_ADMIN_TOKEN  for tenants and keys (also accepted in place of an API key)
  NO_COLOR                set to turn colours off (they are on only on a terminal anyway)`;

/** Two columns, the left padded to its widest entry; continuation lines indented under the right. */
function columns(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  const hang = `\n${indent}${' '.repeat(width + 2)}`;
  return rows
    .map(([left, right]) => `${indent}${left.padEnd(width)}  ${right.split('\n').join(hang)}`)
    .join('\n');
}

const argsWithoutJson = (command: Command) => command.args.replace(/\s*\[--json\]$/, '');

/** `switchyard help`: every command with its summary, the environment, the exit codes. */
export function mainHelp(): string {
  const list = columns([
    ['dev', 'the whole stack on this machine (npm start)'],
    ['simulator [--port N …]', 'the provider simulator alone'],
    ...COMMANDS.map((c): [string, string] => [`${c.name} ${argsWithoutJson(c)}`.trim(), c.summary]),
  ]);
  return `Usage: switchyard <command> [flags]

${list}

Every command takes --help, and --json: machine-readable JSON on stdout only, no progress, no
colours. Otherwise results go to stdout, progress and notes to stderr. An error is one line on
stderr with the API's status, error type and request_id.

${ENVIRONMENT}

${EXIT_CODES}
`;
}

/** `switchyard <command> --help`. */
export function commandHelp(command: Command): string {
  const flags = columns([
    ...(command.flags ?? []),
    ['--json', 'machine-readable JSON on stdout only'],
    ['--help', 'this text'],
  ]);
  const notes = command.notes ? `\n${command.notes}\n` : '';
  return `Usage: switchyard ${command.name} ${command.args}

${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.

${flags}
${notes}
${EXIT_CODES}
`;
}

/** `switchyard batches --help`: the commands of one group. */
export function groupHelp(group: string): string {
  const list = columns(
    commandsInGroup(group).map((c): [string, string] => [
      `${c.name} ${argsWithoutJson(c)}`.trim(),
      c.summary,
    ]),
  );
  return `Usage: switchyard ${group} <command> [flags]

${list}

Run "switchyard ${group} <command> --help" for one of them.
`;
}

export const DEV_HELP = `Usage: switchyard dev

The whole stack on this machine, what npm start runs: Redis (embedded unless REDIS_URL is set),
the provider simulator (unless a provider key is set), the API, a worker and the webhook
dispatcher. Ctrl-C stops everything in order. See README.md.
`;
