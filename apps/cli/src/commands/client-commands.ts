import { type Scope, Scope as ScopeSchema } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk';
import { startProgress } from '../progress';
import { UsageError } from '../usage-error';

function client(env: NodeJS.ProcessEnv, admin = false): SwitchyardClient {
  const baseUrl = env.SWITCHYARD_URL ?? 'http://localhost:8080';
  const apiKey = admin
    ? env.SWITCHYARD_ADMIN_TOKEN
    : (env.SWITCHYARD_API_KEY ?? env.SWITCHYARD_ADMIN_TOKEN);
  if (!apiKey) {
    throw new UsageError(
      admin ? 'set SWITCHYARD_ADMIN_TOKEN' : 'set SWITCHYARD_API_KEY (a tenant key, sy_live_…)',
    );
  }
  return new SwitchyardClient({ baseUrl, apiKey });
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function submitCommand(
  env: NodeJS.ProcessEnv,
  options: { model?: string; prompt?: string; wait?: boolean },
): Promise<void> {
  if (!options.model || !options.prompt) throw new UsageError('submit needs --model M --prompt P');
  const api = client(env);
  const { job } = await api.submit({
    model: options.model,
    input: { messages: [{ role: 'user', content: options.prompt }] },
  });
  if (!options.wait) return print(job);
  let status: string = job.status;
  const stop = startProgress(() => `${job.id} ${status}`);
  try {
    print(
      await api.waitFor(job.id, {
        onPoll: (latest) => {
          status = latest.status;
        },
      }),
    );
  } finally {
    stop();
  }
}

export async function getCommand(env: NodeJS.ProcessEnv, id: string | undefined): Promise<void> {
  if (!id) throw new UsageError('get needs a job ID');
  print(await client(env).get(id));
}

export async function cancelCommand(env: NodeJS.ProcessEnv, id: string | undefined): Promise<void> {
  if (!id) throw new UsageError('cancel needs a job ID');
  print(await client(env).cancel(id));
}

export async function createTenantCommand(
  env: NodeJS.ProcessEnv,
  name: string | undefined,
): Promise<void> {
  if (!name) throw new UsageError('tenants create needs --name N');
  print(await client(env, true).createTenant(name));
}

export async function createKeyCommand(
  env: NodeJS.ProcessEnv,
  options: { tenant?: string; scopes?: string },
): Promise<void> {
  if (!options.tenant) throw new UsageError('keys create needs --tenant T');
  let scopes: Scope[] | undefined;
  if (options.scopes) {
    scopes = options.scopes.split(',').map((scope) => {
      const parsed = ScopeSchema.safeParse(scope.trim());
      if (!parsed.success)
        throw new UsageError(
          `unknown scope "${scope}" (scopes: ${ScopeSchema.options.join(', ')})`,
        );
      return parsed.data;
    });
  }
  print(await client(env, true).createKey(options.tenant, { scopes }));
}
