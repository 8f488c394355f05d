/* eslint-disable no-control-regex -- what a terminal receives is control sequences: the tests match them */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, BatchResultLine } from '@switchyard/core';
import { runCli, startCliInTerminal } from '../src/cli-process';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
  env = { SWITCHYARD_URL: stack.api.url, SWITCHYARD_API_KEY: tenant.apiKey };
  dir = mkdtempSync(join(tmpdir(), 'cli-batches-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack.close();
});

/** An OpenAI Batch input file of one line per prompt, custom_ids `req-1`, `req-2`, … */
function inputFile(name: string, prompts: string[]): string {
  const path = join(dir, name);
  const lines = prompts.map((content, i) => ({
    custom_id: `req-${i + 1}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], max_tokens: 40 },
  }));
  writeFileSync(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return path;
}

const time = (iso: string | null) => iso!.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
function summary(batch: Batch): string {
  const { total, completed, failed, canceled } = batch.request_counts;
  return [
    `${batch.id}  ${batch.status}`,
    `requests   ${total} total: ${completed} completed, ${failed} failed, ${canceled} canceled`,
    `created    ${time(batch.created_at)}`,
    ...(batch.completed_at ? [`completed  ${time(batch.completed_at)}`] : []),
    ...(batch.canceled_at ? [`canceled   ${time(batch.canceled_at)}`] : []),
    '',
  ].join('\n');
}

async function resultsOf(id: string): Promise<BatchResultLine[]> {
  const lines: BatchResultLine[] = [];
  for await (const line of tenant.client.batches.results(id)) lines.push(line);
  return lines;
}

test('batches create --wait prints the ended batch; results prints its JSONL; get and list show it', async () => {
  const file = inputFile('ok.jsonl', ['one', 'two', 'three']);
  const created = await runCli(['batches', 'create', file, '--wait'], env);
  const id = /^(batch_\w+) {2}completed\n/.exec(created.stdout)?.[1];
  const batch = await tenant.client.batches.get(id!);
  expect(batch.request_counts).toEqual({ total: 3, completed: 3, failed: 0, canceled: 0 });
  // No progress bar: stderr is not a terminal.
  expect(created).toEqual({ code: 0, stdout: summary(batch), stderr: '' });

  const results = await runCli(['batches', 'results', id!], env);
  const lines = await resultsOf(id!);
  expect(lines.map((line) => line.custom_id)).toEqual(['req-1', 'req-2', 'req-3']);
  expect(results).toEqual({
    code: 0,
    stdout: lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
    stderr: '',
  });
  expect(await runCli(['batches', 'results', id!, '--json'], env)).toEqual(results);

  expect(await runCli(['batches', 'get', id!], env)).toEqual({
    code: 0,
    stdout: summary(batch),
    stderr: '',
  });
  expect(await runCli(['batches', 'get', id!, '--json'], env)).toEqual({
    code: 0,
    stdout: `${JSON.stringify(batch, null, 2)}\n`,
    stderr: '',
  });
  const list = await runCli(['batches', 'list'], env);
  expect(list).toEqual({
    code: 0,
    stdout: expect.stringMatching(
      new RegExp(
        `^ID +STATUS +TOTAL +COMPLETED +FAILED +CANCELED +CREATED \\(UTC\\)\\n${id} +completed +3 +3 +0 +0 +${time(batch.created_at)}\\n`,
      ),
    ),
    stderr: '',
  });
  const listed = await runCli(['batches', 'list', '--json'], env);
  expect(JSON.parse(listed.stdout)).toEqual(await tenant.client.batches.list());

  // Canceling a completed batch is the API's 409: exit 1.
  expect(await runCli(['batches', 'cancel', id!], env)).toEqual({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(/^switchyard: 409 conflict: .+ \(request_id req_\w+\)\n$/),
  });
});

test('a batch with a failed request exits 1 after --wait and says so; --json prints the batch', async () => {
  const file = inputFile('some-fail.jsonl', ['fine', 'broken [[sim: fault=400]]']);
  const result = await runCli(['batches', 'create', file, '--wait', '--json'], env);
  const batch = JSON.parse(result.stdout) as Batch;
  expect(batch.request_counts).toEqual({ total: 2, completed: 1, failed: 1, canceled: 0 });
  expect(result).toEqual({
    code: 1,
    stdout: `${JSON.stringify(await tenant.client.batches.get(batch.id), null, 2)}\n`,
    stderr:
      `switchyard: batch ${batch.id} completed: 1 failed, 0 canceled; ` +
      `see switchyard batches results ${batch.id}\n`,
  });
  const lines = await resultsOf(batch.id);
  expect(lines.map((line) => [line.custom_id, line.error?.code ?? null])).toEqual([
    ['req-1', null],
    ['req-2', 'invalid_request'],
  ]);
});

test('batches create without --wait prints the batch and where its results are; cancel stops it', async () => {
  const file = inputFile('slow.jsonl', [
    'slow [[sim: latency=60s]]',
    'slower [[sim: latency=60s]]',
  ]);
  const created = await runCli(['batches', 'create', file], env);
  const id = /^(batch_\w+) {2}in_progress\n/.exec(created.stdout)?.[1];
  expect(created).toMatchObject({
    code: 0,
    stderr: `Results so far: switchyard batches results ${id}\n`,
  });
  const canceled = await runCli(['batches', 'cancel', id!, '--json'], env);
  expect(canceled.code).toBe(0);
  expect(JSON.parse(canceled.stdout)).toMatchObject({
    id,
    status: expect.stringMatching(/^(canceling|canceled)$/),
  });
});

test('a bad input file is the API’s 400 naming the line, exit 1', async () => {
  const path = join(dir, 'bad.jsonl');
  writeFileSync(path, '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{}}\n');
  expect(await runCli(['batches', 'create', path], env)).toEqual({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(
      /^switchyard: 400 invalid_request: .*line 1.* \(request_id req_\w+\)\n$/,
    ),
  });
});

test('on a terminal, --wait draws a progress bar of requests done; --json draws none', async () => {
  const file = inputFile('bar.jsonl', ['a [[sim: latency=500ms]]', 'b [[sim: latency=500ms]]']);
  const { code, stdout } = await startCliInTerminal(['batches', 'create', file, '--wait'], {
    ...env,
    NO_COLOR: '1',
  }).done;
  expect(code).toBe(0);
  // The first frame is drawn at once, from the batch as created: nothing done yet.
  expect(stdout).toMatch(/\r⠋ \[░{30}\] 0\/2 done \d+\.\ds\x1b\[K/);
  expect(stdout).toMatch(/\r\x1b\[K(batch_\w+) {2}completed\r\n/);

  const json = await startCliInTerminal(['batches', 'create', file, '--wait', '--json'], env).done;
  expect(json.code).toBe(0);
  expect(json.stdout).not.toMatch(/[░█]|\x1b/);
  expect(JSON.parse(json.stdout.replace(/\r\n/g, '\n'))).toMatchObject({ status: 'completed' });
});

test('Ctrl-C during batches create --wait stops waiting (exit 130); the batch goes on', async () => {
  const file = inputFile('long.jsonl', [
    'long [[sim: latency=60s]]',
    'longer [[sim: latency=60s]]',
  ]);
  const cli = startCliInTerminal(['batches', 'create', file, '--wait'], { ...env, NO_COLOR: '1' });
  await cli.until('stdout', /\r⠋ \[░{30}\] 0\/2 done/);
  cli.write('\x03');
  const { code, stdout } = await cli.done;
  expect(code).toBe(130);
  const id = (await tenant.client.batches.list()).data[0]!.id;
  // The terminal echoes the Ctrl-C as `^C` wherever the cursor is at that moment.
  expect(stdout.replace(/\r\n/g, '\n').replace('^C', '')).toMatch(
    new RegExp(
      `\\r\\x1b\\[Kswitchyard: stopped waiting for ${id}; the batch goes on\\. ` +
        `See it with: switchyard batches get ${id}\\n$`,
    ),
  );
  expect((await tenant.client.batches.get(id)).status).toBe('in_progress');
  await tenant.client.batches.cancel(id);
});
