import { type Scope, Scope as ScopeSchema } from '@switchyard/core';
import { type Command, requiredFlag, stringFlag } from '../command';
import { ExitCode } from '../exit-codes';
import { fields } from '../format/values';
import { UsageError } from '../usage-error';

export const tenantsCreateCommand: Command = {
  name: 'tenants create',
  args: '--name N [--json]',
  summary: '(admin) a tenant, its first key, its secret',
  flags: [['--name N', 'the tenant’s name']],
  notes: 'Uses SWITCHYARD_ADMIN_TOKEN. The key is shown this once: store it.',
  admin: true,
  options: { name: { type: 'string' } },
  run: async ({ values, out, client }) => {
    const name = requiredFlag('tenants create', values, 'name', 'N');
    const created = await client().createTenant(name);
    if (out.json) out.data(created);
    else {
      out.print(
        fields([
          ['tenant', `${out.out('id', created.tenant.id)}  ${created.tenant.name}`],
          ['api key', out.out('bold', created.api_key.key)],
          ['scopes', created.api_key.scopes.join(', ')],
          ['webhook secret', created.webhook_secret],
        ]),
      );
      out.note(out.err('dim', 'The API key is shown only this once: store it now.'));
    }
    return ExitCode.ok;
  },
};

/** `a,b` into scopes, each checked against the contract's list (a typo is a usage error). */
function parseScopes(text: string): Scope[] {
  return text.split(',').map((scope) => {
    const parsed = ScopeSchema.safeParse(scope.trim());
    if (!parsed.success)
      throw new UsageError(`unknown scope "${scope}" (scopes: ${ScopeSchema.options.join(', ')})`);
    return parsed.data;
  });
}

export const keysCreateCommand: Command = {
  name: 'keys create',
  args: '--tenant T [--scopes a,b] [--name N] [--json]',
  summary: '(admin) another API key for a tenant',
  flags: [
    ['--tenant T', 'the tenant’s ID (ten_…)'],
    ['--scopes a,b', `any of ${ScopeSchema.options.join(', ')} (default: all)`],
    ['--name N', 'a name to recognise the key by'],
  ],
  notes: 'Uses SWITCHYARD_ADMIN_TOKEN. The key is shown this once: store it.',
  admin: true,
  options: { tenant: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' } },
  run: async ({ values, out, client }) => {
    const tenant = requiredFlag('keys create', values, 'tenant', 'T');
    const scopes = stringFlag(values, 'scopes');
    const key = await client().createKey(tenant, {
      name: stringFlag(values, 'name'),
      scopes: scopes === undefined ? undefined : parseScopes(scopes),
    });
    if (out.json) out.data(key);
    else {
      out.print(
        fields([
          ['api key', out.out('bold', key.key)],
          ['tenant', key.tenant_id],
          ['scopes', key.scopes.join(', ')],
        ]),
      );
      out.note(out.err('dim', 'The API key is shown only this once: store it now.'));
    }
    return ExitCode.ok;
  },
};
