/* eslint-disable no-control-regex -- what a terminal receives is control sequences: the tests match them */
import type { Job, JobStreamEvent } from '@switchyard/core';
import { simulateCompletion } from '@switchyard/simulator';
import { runCli, startCli, startCliInTerminal } from '../src/cli-process';
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
const answer = (prompt: string) =>
  simulateCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }).text;
/** What a terminal shows, with the pty's line endings back to `\n`. */
const screen = (text: string) => text.replace(/\r\n/g, '\n');
const COLOR = /\x1b\[\d+m/;
const ms = (value: number | null) =>
  value! < 1_000 ? `${value} ms` : `${(value! / 1_000).toFixed(1)} s`;

describe('--stream', () => {
  test('prints the output text on stdout as it streams, status lines and the summary on stderr', async () => {
    const prompt = 'Stream to me';
    const result = await runCli(['submit', '--model', MODEL, '--prompt', prompt, '--stream'], env);
    const id = /^(job_\w+) /.exec(result.stderr)?.[1];
    const job = await tenant.client.get(id!);
    expect(job.status).toBe('succeeded');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${answer(prompt)}\n`);
    expect(result.stderr).toBe(
      [
        `${id} is queued`,
        `${id} is running`,
        `${id}  succeeded`,
        `model    ${MODEL}`,
        `tokens   ${job.usage!.input_tokens} in, ${job.usage!.output_tokens} out`,
        `cost     $${job.usage!.cost_usd!.toFixed(6)}`,
        `time     ${ms(job.metrics.total_ms)} (queued ${ms(job.metrics.queue_ms)}, ran ${ms(job.metrics.run_ms)})`,
        `created  ${job.created_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}`,
        '',
      ].join('\n'),
    );
  });

  test('--json prints every event as one JSON line, the last the done job', async () => {
    const prompt = 'Stream JSON';
    const result = await runCli(
      ['submit', '--model', MODEL, '--prompt', prompt, '--stream', '--json'],
      env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const events = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as JobStreamEvent);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.data).toEqual(await tenant.client.get((done.data as Job).id));
    const text = events.flatMap((event) => (event.type === 'delta' ? [event.data.text] : []));
    expect(text.join('')).toBe(answer(prompt));
    expect(events.filter((event) => event.type === 'status').map((e) => e.data)).toEqual([
      { status: 'queued', at: expect.any(String) },
      { status: 'running', at: expect.any(String) },
    ]);
  });

  test('Ctrl-C stops following with exit 130 and how to follow again; the job runs on', async () => {
    const cli = startCli(
      ['submit', '--model', MODEL, '--prompt', 'Long one [[sim: latency=60s]]', '--stream'],
      env,
    );
    await cli.until('stderr', /^job_\w+ is running\n/m);
    const id = /^(job_\w+) /.exec(cli.stderr)![1]!;
    cli.signal('SIGINT');
    expect(await cli.done).toEqual({
      code: 130,
      stdout: '',
      stderr:
        `${id} is queued\n${id} is running\n` +
        `switchyard: stopped following ${id} (last seen running); the job goes on. ` +
        `Follow it again with: switchyard get ${id} --wait\n`,
    });
    expect((await tenant.client.get(id)).status).toBe('running');
    await tenant.client.cancel(id);
  });
});

describe('on a terminal', () => {
  test('--wait draws a spinner with the status and elapsed time on stderr, then the coloured job', async () => {
    const cli = startCliInTerminal(
      ['submit', '--model', MODEL, '--prompt', 'Spin [[sim: latency=1s]]', '--wait'],
      env,
    );
    const { code, stdout } = await cli.done;
    expect(code).toBe(0);
    // The first frame is drawn at once: `\r⠋ <id> <status> 0.0s` and erase-to-end-of-line.
    const frame = /\r⠋ (job_\w+) \x1b\[2mqueued\x1b\[22m \d+\.\ds\x1b\[K/.exec(stdout);
    expect(frame).not.toBeNull();
    const id = frame![1]!;
    // The spinner erases its line before the result is printed, in colour (stdout is a terminal).
    expect(stdout).toContain(`\r\x1b[K\x1b[36m${id}\x1b[39m  \x1b[32msucceeded\x1b[39m\r\n`);
    const job = await tenant.client.get(id);
    expect(screen(stdout).endsWith(`\n\n${job.output!.text}\n`)).toBe(true);
  });

  test('NO_COLOR keeps the spinner and drops the colours', async () => {
    const { code, stdout } = await startCliInTerminal(
      ['submit', '--model', MODEL, '--prompt', 'No colour', '--wait'],
      { ...env, NO_COLOR: '1' },
    ).done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/\r⠋ job_\w+ queued \d+\.\ds\x1b\[K/);
    expect(stdout).not.toMatch(COLOR);
    expect(screen(stdout)).toMatch(
      /\r\x1b\[K(job_\w+) {2}succeeded\nmodel {4}openai\/gpt-4o-mini\n/,
    );
  });

  test('--json shows no spinner, no colours: only the job', async () => {
    const { code, stdout } = await startCliInTerminal(
      ['submit', '--model', MODEL, '--prompt', 'Plain', '--wait', '--json'],
      env,
    ).done;
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[⠋⠙⠹]|\x1b/);
    const job = JSON.parse(screen(stdout)) as Job;
    expect(screen(stdout)).toBe(`${JSON.stringify(await tenant.client.get(job.id), null, 2)}\n`);
  });

  test('Ctrl-C during --wait stops with exit 130, erases the spinner, leaves the job running', async () => {
    const cli = startCliInTerminal(
      ['submit', '--model', MODEL, '--prompt', 'Wait forever [[sim: latency=60s]]', '--wait'],
      { ...env, NO_COLOR: '1' },
    );
    await cli.until('stdout', /\r⠋ job_\w+ /);
    const id = /\r⠋ (job_\w+) /.exec(cli.stdout)![1]!;
    cli.write('\x03');
    const { code, stdout } = await cli.done;
    expect(code).toBe(130);
    // The terminal echoes the Ctrl-C as `^C` wherever the cursor is at that moment.
    expect(screen(stdout).replace('^C', '')).toMatch(
      new RegExp(
        `\\r\\x1b\\[Kswitchyard: stopped following ${id} \\(last seen (queued|running)\\); ` +
          `the job goes on\\. Follow it again with: switchyard get ${id} --wait\\n$`,
      ),
    );
    expect((await tenant.client.get(id)).status).toMatch(/^(queued|running)$/);
    await tenant.client.cancel(id);
  });
});
