import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@switchyard/redis-server';
import { startStack, type Stack, type TenantHandle } from '../src';

const cli = resolve(__dirname, '../../../apps/cli/bin/switchyard.js');
const run = promisify(execFile);

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

/** Runs `switchyard …` as a user would, with the environment the contract names. */
async function switchyard(args: string[], env: Record<string, string>) {
  const full = { PATH: process.env.PATH!, SWITCHYARD_URL: stack.api.url, ...env };
  return run('node', [cli, ...args], { env: full }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

test('submit --wait prints the finished job; get prints it again', async () => {
  const submitted = await switchyard(
    ['submit', '--model', 'openai/gpt-4o-mini', '--prompt', 'Hello from the CLI', '--wait'],
    {
      SWITCHYARD_API_KEY: tenant.apiKey,
    },
  );
  expect(submitted).toMatchObject({ code: 0, stderr: '' }); // no spinner when stderr is not a terminal
  const job = JSON.parse(submitted.stdout);
  expect(job).toMatchObject({ status: 'succeeded', served_by: { provider: 'openai' } });

  const got = await switchyard(['get', job.id], { SWITCHYARD_API_KEY: tenant.apiKey });
  expect(JSON.parse(got.stdout)).toEqual(job);
});

test('cancel of an ended job exits 1 with the API’s error in one line', async () => {
  const { job } = await tenant.client.submit(
    { model: 'openai/gpt-4o-mini', input: { messages: [{ role: 'user', content: 'done' }] } },
    { waitSeconds: 10 },
  );
  expect(await switchyard(['cancel', job.id], { SWITCHYARD_API_KEY: tenant.apiKey })).toMatchObject(
    {
      code: 1,
      stdout: '',
      stderr: `switchyard: 409 conflict: Job ${job.id} already ended (succeeded); it cannot be canceled.\n`,
    },
  );
});

test('tenants create and keys create use the admin token', async () => {
  const created = await switchyard(['tenants', 'create', '--name', 'cli-made'], {
    SWITCHYARD_ADMIN_TOKEN: stack.adminToken,
  });
  const tenantCreated = JSON.parse(created.stdout);
  expect(tenantCreated).toMatchObject({
    tenant: { name: 'cli-made' },
    api_key: { key: expect.stringMatching(/^sy_live_/) },
  });

  const key = await switchyard(
    ['keys', 'create', '--tenant', tenantCreated.tenant.id, '--scopes', 'jobs:read'],
    {
      SWITCHYARD_ADMIN_TOKEN: stack.adminToken,
    },
  );
  expect(JSON.parse(key.stdout)).toMatchObject({
    tenant_id: tenantCreated.tenant.id,
    scopes: ['jobs:read'],
  });
});

test('mistakes in the call are one line and exit 2', async () => {
  expect(await switchyard(['launch'], {})).toMatchObject({
    code: 2,
    stderr: 'switchyard: unknown command "launch"; run "switchyard help"\n',
  });
  expect(
    await switchyard(['submit', '--model', 'openai/gpt-4o-mini'], {
      SWITCHYARD_API_KEY: tenant.apiKey,
    }),
  ).toMatchObject({
    code: 2,
    stderr: 'switchyard: submit needs --model M --prompt P\n',
  });
  expect(
    await switchyard(['keys', 'create', '--tenant', 'ten_x', '--scopes', 'everything'], {
      SWITCHYARD_ADMIN_TOKEN: stack.adminToken,
    }),
  ).toMatchObject({
    code: 2,
    stderr:
      'switchyard: unknown scope "everything" (scopes: jobs:read, jobs:write, usage:read, webhooks:manage)\n',
  });
  expect(await switchyard(['get', 'job_x'], {})).toMatchObject({
    code: 2,
    stderr: 'switchyard: set SWITCHYARD_API_KEY (a tenant key, sy_live_…)\n',
  });
});

test('an unreachable API is one clear line (after the client’s retries)', async () => {
  const closed = `http://127.0.0.1:${await findFreePort()}`;
  const result = await run('node', [cli, 'get', 'job_x'], {
    env: { PATH: process.env.PATH!, SWITCHYARD_URL: closed, SWITCHYARD_API_KEY: tenant.apiKey },
  }).catch((error: { code: number; stderr: string }) => error);
  expect(result).toMatchObject({
    code: 1,
    stderr: `switchyard: cannot reach ${closed} (ECONNREFUSED)\n`,
  });
});
