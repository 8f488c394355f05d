import type { Job } from '@switchyard/core';
import { runCli } from '../src/cli-process';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let env: Record<string, string>;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
  env = { SWITCHYARD_URL: stack.api.url, SWITCHYARD_API_KEY: tenant.apiKey };
});
afterAll(() => stack.close());

const MODEL = 'openai/gpt-4o-mini';
const time = (iso: string | null) => iso!.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
const ms = (value: number | null) =>
  value! < 1_000 ? `${value} ms` : `${(value! / 1_000).toFixed(1)} s`;

/** What `get` and `submit --wait` print for a succeeded job, field by field. */
function succeededSummary(job: Job): string {
  const { usage, metrics } = job;
  return [
    `${job.id}  succeeded`,
    `model    ${MODEL}`,
    `tokens   ${usage!.input_tokens} in, ${usage!.output_tokens} out`,
    `cost     $${usage!.cost_usd!.toFixed(6)}`,
    `time     ${ms(metrics.total_ms)} (queued ${ms(metrics.queue_ms)}, ran ${ms(metrics.run_ms)})`,
    `created  ${time(job.created_at)}`,
    '',
    job.output!.text,
    '',
  ].join('\n');
}

test('submit prints the queued job and how to follow it; --json prints the job object', async () => {
  const human = await runCli(['submit', '--model', MODEL, '--prompt', 'Hello from the CLI'], env);
  const id = /^(job_\w+) {2}queued\n/.exec(human.stdout)?.[1];
  expect(id).toBeDefined();
  const job = await tenant.client.get(id!);
  expect(human).toEqual({
    code: 0,
    stdout: `${id}  queued\nmodel    ${MODEL}\ncreated  ${time(job.created_at)}\n`,
    stderr: `Follow it with: switchyard get ${id} --wait\n`,
  });

  const json = await runCli(['submit', '--model', MODEL, '--prompt', 'Hi', '--json'], env);
  expect(json).toMatchObject({ code: 0, stderr: '' });
  const submitted = JSON.parse(json.stdout);
  expect(submitted).toMatchObject({ object: 'job', status: 'queued', model: MODEL });
  expect(json.stdout).toBe(`${JSON.stringify(submitted, null, 2)}\n`);
});

test('submit --wait prints the finished job with its output; get prints it again', async () => {
  const waited = await runCli(
    ['submit', '--model', MODEL, '--prompt', 'Wait for me', '--wait'],
    env,
  );
  const id = /^(job_\w+) {2}succeeded\n/.exec(waited.stdout)?.[1];
  const job = await tenant.client.get(id!);
  // No spinner: stderr is not a terminal.
  expect(waited).toEqual({ code: 0, stdout: succeededSummary(job), stderr: '' });
  expect(await runCli(['get', id!], env)).toEqual({
    code: 0,
    stdout: succeededSummary(job),
    stderr: '',
  });
  const json = await runCli(['get', id!, '--json'], env);
  expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(job, null, 2)}\n`, stderr: '' });
});

test('submit --wait --json prints only the final job; a failed job exits 1 with its error', async () => {
  const prompt = 'Break [[sim: fault=400]]';
  const result = await runCli(
    ['submit', '--model', MODEL, '--prompt', prompt, '--wait', '--json'],
    env,
  );
  const job = JSON.parse(result.stdout) as Job;
  expect(job).toMatchObject({ status: 'failed', error: { type: 'invalid_request' } });
  expect(result).toEqual({
    code: 1,
    stdout: `${JSON.stringify(await tenant.client.get(job.id), null, 2)}\n`,
    stderr: `switchyard: job ${job.id} failed: invalid_request: ${job.error!.message}\n`,
  });

  const human = await runCli(['get', job.id, '--wait'], env);
  expect(human).toEqual({
    code: 1,
    stdout: [
      `${job.id}  failed`,
      `model    ${MODEL}`,
      `time     ${ms(job.metrics.total_ms)} (queued ${ms(job.metrics.queue_ms)}, ran ${ms(job.metrics.run_ms)})`,
      `error    invalid_request: ${job.error!.message}`,
      `created  ${time(job.created_at)}`,
      '',
    ].join('\n'),
    stderr: `switchyard: job ${job.id} failed: invalid_request: ${job.error!.message}\n`,
  });
});

test('list prints a table newest first; --status and --limit filter; --json the API list', async () => {
  const other = await stack.tenant();
  const otherEnv = { ...env, SWITCHYARD_API_KEY: other.apiKey };
  expect(await runCli(['list'], otherEnv)).toEqual({ code: 0, stdout: 'No jobs.\n', stderr: '' });
  const run = async (content: string) =>
    (
      await other.client.submit(
        { model: MODEL, input: { messages: [{ role: 'user', content }] } },
        { waitSeconds: 20 },
      )
    ).job;
  const first = await run('first');
  const second = await run('second [[sim: fault=400]]');
  const row = (job: Job) => {
    const tokens = job.usage
      ? [
          String(job.usage.input_tokens),
          String(job.usage.output_tokens),
          `$${job.usage.cost_usd!.toFixed(6)}`,
        ]
      : ['–', '–', '–'];
    return [job.id, job.status, MODEL, ...tokens, time(job.created_at)];
  };
  const rows = [
    ['ID', 'STATUS', 'MODEL', 'TOKENS IN', 'OUT', 'COST', 'CREATED (UTC)'],
    row(second),
    row(first),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)));
  const right = new Set([3, 4, 5]);
  const table = rows
    .map((cells) =>
      cells
        .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  expect(await runCli(['list'], otherEnv)).toEqual({ code: 0, stdout: `${table}\n`, stderr: '' });

  const failedOnly = await runCli(['list', '--status', 'failed', '--json'], otherEnv);
  expect(failedOnly.code).toBe(0);
  expect(JSON.parse(failedOnly.stdout)).toEqual(await other.client.list({ status: 'failed' }));
  expect(JSON.parse(failedOnly.stdout).data.map((job: Job) => job.id)).toEqual([second.id]);

  const limited = await runCli(['list', '--limit', '1'], otherEnv);
  expect(limited).toEqual({
    code: 0,
    stdout: `${rows
      .slice(0, 2)
      .map((cells) =>
        cells
          .map((cell, i) => {
            const width = Math.max(rows[0]![i]!.length, rows[1]![i]!.length);
            return right.has(i) ? cell.padStart(width) : cell.padEnd(width);
          })
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
    stderr: 'More jobs than shown: raise --limit (up to 100).\n',
  });
});

test('cancel prints the canceled job; cancel of an ended job is the API’s error in one line, exit 1', async () => {
  const { job } = await tenant.client.submit({
    model: MODEL,
    input: { messages: [{ role: 'user', content: 'Take forever [[sim: fault=hang]]' }] },
  });
  expect((await stack.simulator.nextCall()).status).toBe('hang'); // running: its call is open
  const canceled = await runCli(['cancel', job.id], env);
  const after = await tenant.client.get(job.id);
  expect(canceled).toEqual({
    code: 0,
    stdout: [
      `${job.id}  canceled`,
      `model    ${MODEL}`,
      `time     ${ms(after.metrics.total_ms)} (queued ${ms(after.metrics.queue_ms)}, ran ${ms(after.metrics.run_ms)})`,
      'error    canceled: canceled by request',
      `created  ${time(job.created_at)}`,
      '',
    ].join('\n'),
    stderr: '',
  });

  const ended = await tenant.client.wait(job.id);
  expect(ended.status).toBe('canceled');
  const again = await runCli(['cancel', job.id], env);
  expect(again).toEqual({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(
      new RegExp(
        `^switchyard: 409 conflict: Job ${job.id} already ended \\(canceled\\); it cannot be canceled\\. \\(request_id req_\\w+\\)\\n$`,
      ),
    ),
  });
  const missing = await runCli(['get', 'job_doesnotexist'], env);
  expect(missing).toEqual({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(/^switchyard: 404 not_found: .+ \(request_id req_\w+\)\n$/),
  });
});

test('tenants create and keys create use the admin token', async () => {
  const admin = { SWITCHYARD_URL: stack.api.url, SWITCHYARD_ADMIN_TOKEN: stack.adminToken };
  const created = await runCli(['tenants', 'create', '--name', 'cli-made', '--json'], admin);
  const tenantCreated = JSON.parse(created.stdout);
  expect(tenantCreated).toMatchObject({
    tenant: { name: 'cli-made' },
    api_key: { key: expect.stringMatching(/^sy_live_/) },
  });
  const human = await runCli(['tenants', 'create', '--name', 'cli-human'], admin);
  expect(human).toEqual({
    code: 0,
    stdout: expect.stringMatching(
      /^tenant {10}ten_\w+ {2}cli-human\napi key {9}sy_live_\S+\nscopes {10}jobs:read, jobs:write, usage:read, webhooks:manage\nwebhook secret {2}whsec_\S+\n$/,
    ),
    stderr: 'The API key is shown only this once: store it now.\n',
  });

  const key = await runCli(
    ['keys', 'create', '--tenant', tenantCreated.tenant.id, '--scopes', 'jobs:read', '--json'],
    admin,
  );
  expect(JSON.parse(key.stdout)).toMatchObject({
    tenant_id: tenantCreated.tenant.id,
    scopes: ['jobs:read'],
  });
});
