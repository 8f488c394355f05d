import type { Command } from '../command';
import { DEFAULT_URL } from '../client-from-env';
import { COMMANDS, commandsInGroup } from './registry';

const EXIT_CODES = `Exit codes:
  0    succeeded
  1    failed: the job (with --wait/--stream) or batch (with --wait) did not succeed, or the
       API answered an error (404, 409, 400, …)
  2    usage error: unknown command or flag, missing argument, SWITCHYARD_API_KEY unset
  3    transport error: the API cannot be reached, or answered 503 after retries
  130  Ctrl-C while waiting or streaming (the job or batch keeps running)`;

const ENVIRONMENT = `Environment:
  SWITCHYARD_URL          the API (default ${DEFAULT_URL})
  SWITCHYARD_API_KEY      a tenant key, sy_live_…
  SWITCHYARD_ADMIN_TOKEN  for tenants and keys (also accepted in place of an API key)
  NO_COLOR                set to turn colours off (they are on only on a terminal anyway)`;

const usageLine = (command: Command) => `switchyard ${command.name} ${command.args}`.trimEnd();

/** `switchyard help`: every command with its one-line summary, the environment, exit codes. */
export function mainHelp(): string {
  const lines = [
    ['dev', 'the whole stack on this machine (what npm start runs)'],
    ['simulator [--port N --latency 800ms …]', 'the provider simulator alone'],
    ...COMMANDS.map((command) => [
      `${command.name} ${command.args.replace(/ \[--json\]$/, '')}`,
      command.summary,
    ]),
  ];
  const width = Math.max(...lines.map(([left]) => left!.length));
  const list = lines.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`).join('\n');
  return `Usage: switchyard <command> [flags]

${list}

Every command takes --json (machine-readable JSON on stdout only: no progress, no colours) and
--help. Human output goes to stdout, progress and notes to stderr; errors are one line on stderr
with the API's error type and request_id.

${ENVIRONMENT}

${EXIT_CODES}
`;
}

/** `switchyard <command> --help`. */
export function commandHelp(command: Command): string {
  const details = command.details ? `\n${command.details}\n` : '';
  return `Usage: ${usageLine(command)}

${command.summary}
${details}  --json      machine-readable JSON on stdout only
  --help      this text

${EXIT_CODES}
`;
}

/** `switchyard batches --help`: the commands of one group. */
export function groupHelp(group: string): string {
  const commands = commandsInGroup(group);
  const width = Math.max(...commands.map((c) => usageLine(c).length));
  const list = commands.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage:\n${list}\n\nRun "switchyard ${group} <command> --help" for one of them.\n`;
}

export const DEV_HELP = `Usage: switchyard dev

The whole stack on this machine, what npm start runs: Redis (embedded unless REDIS_URL is set),
the provider simulator (unless a provider key is set), the API, a worker and the webhook
dispatcher. Ctrl-C stops everything in order. See README.md.
`;
