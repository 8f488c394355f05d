import { whenReady } from '@switchyard/redis-kit';
import { findFreePort, startRedisServer } from '@switchyard/redis-server';
import { runCli, startCli } from '../src/cli-process';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let env: Record<string, string>;
beforeAll(async () => {
  // Its own Redis (AOF, so a restart keeps the tenant), so one test can take it away (503).
  const redis = await startRedisServer({ appendOnly: true, args: ['--appendfsync', 'always'] });
  stack = await startStack({ redis, worker: false });
  tenant = await stack.tenant();
  env = { SWITCHYARD_URL: stack.api.url, SWITCHYARD_API_KEY: tenant.apiKey };
});
afterAll(async () => {
  // The server is this file's: it stops even when close() finds a leak and throws.
  try {
    await stack.close();
  } finally {
    await stack.redis.stop();
  }
});

const COMMANDS = [
  'submit',
  'get',
  'list',
  'cancel',
  'usage',
  'batches create',
  'batches get',
  'batches results',
  'batches cancel',
  'batches list',
  'tenants create',
  'keys create',
];

test('no command prints the help to stderr and exits 2; help, --help and -h print it to stdout, exit 0', async () => {
  const bare = await runCli([], {});
  expect(bare.code).toBe(2);
  expect(bare.stdout).toBe('');
  expect(bare.stderr).toMatch(/^Usage: switchyard <command> \[flags\]\n/);
  for (const command of COMMANDS) expect(bare.stderr).toContain(`\n  ${command} `);
  expect(bare.stderr).toContain(
    '\nExit codes:\n  0    succeeded\n  1    failed: a followed job ended failed, canceled or expired',
  );
  expect(bare.stderr).toContain(
    '  2    usage error: unknown command or flag, missing argument, SWITCHYARD_API_KEY unset\n' +
      '  3    transport error: the API cannot be reached, or answered 503 after retries\n' +
      '  130  Ctrl-C while waiting or streaming (the job or batch keeps running)\n',
  );
  for (const flag of ['help', '--help', '-h'])
    expect(await runCli([flag], {})).toEqual({ code: 0, stdout: bare.stderr, stderr: '' });
});

/** Runs the calls side by side: each is its own process, and there are many. */
const runAll = (calls: [string[], Record<string, string>][]) =>
  Promise.all(calls.map(([args, callEnv]) => runCli(args, callEnv)));

test('every command has --help on stdout (exit 0), and help <command> prints the same', async () => {
  const words = COMMANDS.map((command) => command.split(' '));
  const helps = await runAll(words.map((w) => [[...w, '--help'], {}]));
  const helpsOfHelp = await runAll(words.map((w) => [['help', ...w], {}]));
  COMMANDS.forEach((command, i) => {
    const help = helps[i]!;
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^Usage: switchyard ${command} .*\\n`));
    expect(help.stdout).toContain('  --json ');
    expect(help.stdout).toContain('\nExit codes:\n');
    expect(helpsOfHelp[i]).toEqual(help);
  });
  expect(await runCli(['batches', '--help'], {})).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/^Usage: switchyard batches <command> \[flags\]\n/),
  });
  expect(await runCli(['dev', '--help'], {})).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/^Usage: switchyard dev\n/),
  });
  expect(await runCli(['simulator', '--help'], {})).toMatchObject({
    code: 0,
    stdout: expect.stringMatching(/^Usage: simulator \[flags\]\n/),
  });
}, 120_000);

test('a reader that stops reading (| head) ends the command quietly with exit 0', async () => {
  const cli = startCli(['help'], {});
  cli.closeStdout();
  expect(await cli.done).toEqual({ code: 0, stdout: '', stderr: '' });
});

test('mistakes in the call are one line on stderr and exit 2, before anything is sent', async () => {
  const usage = (stderr: string) => ({ code: 2, stdout: '', stderr: `switchyard: ${stderr}\n` });
  const cases: [string[], string][] = [
    [['launch'], 'unknown command "launch"; run "switchyard help"'],
    [['batches', 'launch'], 'unknown command "batches launch"; run "switchyard help"'],
    [['submit', '--model', 'openai/gpt-4o-mini'], 'submit needs --model M --prompt P'],
    [['get'], 'get needs ID; see "switchyard get --help"'],
    [['get', 'job_a', 'job_b'], 'get: unexpected argument "job_b"'],
    [['get', 'job_a', '--bogus'], `Unknown option '--bogus'; see "switchyard get --help"`],
    [
      ['list', '--limit'],
      `Option '--limit <value>' argument missing; see "switchyard list --help"`,
    ],
    [['list', '--limit', '0'], '--limit must be a whole number from 1 to 100, not "0"'],
    [
      ['list', '--status', 'done'],
      '--status must be one of queued, running, succeeded, failed, canceled, expired, not "done"',
    ],
    [['usage', '--group-by', 'week'], '--group-by must be model or day, not "week"'],
    [['get', 'job_a', '--wait', '--stream'], 'choose one of --wait and --stream'],
    [
      ['submit', '--model', 'm', '--prompt', 'p', '--max-tokens', 'lots'],
      '--max-tokens must be a positive whole number, not "lots"',
    ],
    [
      ['batches', 'create', '/nonexistent/input.jsonl'],
      'cannot read /nonexistent/input.jsonl (ENOENT)',
    ],
    [['tenants', 'create'], 'tenants create needs --name N'],
    [
      ['keys', 'create', '--tenant', 'ten_x', '--scopes', 'everything'],
      'unknown scope "everything" (scopes: jobs:read, jobs:write, usage:read, webhooks:manage)',
    ],
  ];
  const callEnv = { ...env, SWITCHYARD_ADMIN_TOKEN: stack.adminToken };
  const results = await runAll(cases.map(([args]) => [args, callEnv]));
  expect(results).toEqual(cases.map(([, line]) => usage(line)));
  // A group without its command: the group's commands, on stderr.
  expect(await runCli(['batches'], env)).toMatchObject({
    code: 2,
    stdout: '',
    stderr: expect.stringMatching(/^Usage: switchyard batches <command> \[flags\]\n/),
  });
  // No key: nothing can be sent.
  expect(await runCli(['get', 'job_x'], { SWITCHYARD_URL: stack.api.url })).toEqual(
    usage('set SWITCHYARD_API_KEY (a tenant key, sy_live_…)'),
  );
  expect(await runCli(['tenants', 'create', '--name', 'x'], env)).toEqual(
    usage('set SWITCHYARD_ADMIN_TOKEN'),
  );
  // Nothing reached the API: the tenant has no jobs.
  expect((await tenant.client.list()).data).toEqual([]);
}, 120_000);

test('an API refusal is exit 1 with its status, type and request_id; --json does not change that', async () => {
  const line = (stderr: string) =>
    expect.stringMatching(new RegExp(`^switchyard: ${stderr} \\(request_id req_\\w+\\)\\n$`));
  expect(await runCli(['get', 'job_x', '--json'], env)).toEqual({
    code: 1,
    stdout: '',
    stderr: line('404 not_found: No job "job_x"\\.'),
  });
  expect(await runCli(['list'], { ...env, SWITCHYARD_API_KEY: 'sy_live_wrong' })).toEqual({
    code: 1,
    stdout: '',
    stderr: line('401 authentication_error: .+'),
  });
  expect(await runCli(['submit', '--model', 'nobody/none', '--prompt', 'hi'], env)).toEqual({
    code: 1,
    stdout: '',
    stderr: line('400 invalid_request: .+'),
  });
});

test('an unreachable API is exit 3 with one clear line (after the client’s retries)', async () => {
  const closed = `http://127.0.0.1:${await findFreePort()}`;
  const calls: string[][] = [
    ['get', 'job_x'],
    ['list', '--json'],
    ['submit', '--model', 'm', '--prompt', 'p', '--wait'],
  ];
  const results = await runAll(calls.map((args) => [args, { ...env, SWITCHYARD_URL: closed }]));
  const line = `switchyard: cannot reach ${closed} (ECONNREFUSED)\n`;
  expect(results).toEqual(calls.map(() => ({ code: 3, stdout: '', stderr: line })));
}, 60_000);

test('an API without its Redis answers 503: exit 3 once the client’s retries are spent', async () => {
  await stack.redis.kill();
  try {
    expect(await runCli(['list'], env)).toEqual({
      code: 3,
      stdout: '',
      stderr: expect.stringMatching(
        /^switchyard: 503 service_unavailable: .+ \(request_id req_\w+\)\n$/,
      ),
    });
  } finally {
    await stack.redis.restart();
    await whenReady(stack.api.deps.redis);
  }
  expect(await runCli(['list'], env)).toEqual({ code: 0, stdout: 'No jobs.\n', stderr: '' });
});
