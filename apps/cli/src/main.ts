import { parseArgs } from 'node:util';
import { SwitchyardError } from '@switchyard/sdk';
import {
  cancelCommand,
  createKeyCommand,
  createTenantCommand,
  getCommand,
  submitCommand,
} from './commands/client-commands';
import { devCommand } from './commands/dev';
import { simulatorCommand } from './commands/simulator-command';
import { UsageError } from './usage-error';

const HELP = `Usage: switchyard <command>

  dev                                   the whole stack on this machine (what npm start runs)
  simulator [--port N --latency 800ms …] the provider simulator alone
  submit --model M --prompt P [--wait]  submit a job; --wait shows progress and the result
  get ID                                a job
  cancel ID                             cancel a queued or running job
  tenants create --name N               (admin) a tenant, its first API key and webhook secret
  keys create --tenant T [--scopes a,b] (admin) another API key

Environment: SWITCHYARD_URL (default http://localhost:8080), SWITCHYARD_API_KEY,
SWITCHYARD_ADMIN_TOKEN.
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const env = process.env;
  switch (command) {
    case 'dev':
      return devCommand();
    case 'simulator':
      return simulatorCommand(rest, env);
    case 'submit': {
      const { values } = parseArgs({
        args: rest,
        options: {
          model: { type: 'string' },
          prompt: { type: 'string' },
          wait: { type: 'boolean' },
        },
      });
      return submitCommand(env, values);
    }
    case 'get':
      return getCommand(env, rest[0]);
    case 'cancel':
      return cancelCommand(env, rest[0]);
    case 'tenants': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { name: { type: 'string' } },
      });
      if (positionals[0] !== 'create')
        throw new UsageError('usage: switchyard tenants create --name N');
      return createTenantCommand(env, values.name);
    }
    case 'keys': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { tenant: { type: 'string' }, scopes: { type: 'string' } },
      });
      if (positionals[0] !== 'create')
        throw new UsageError('usage: switchyard keys create --tenant T');
      return createKeyCommand(env, values);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"; run "switchyard help"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`switchyard: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (error instanceof SwitchyardError) {
    process.stderr.write(
      `switchyard: ${error.status ? `${error.status} ${error.type}: ` : ''}${error.message}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`switchyard: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
