import type { UsageFigures, UsageReport } from '@switchyard/core';
import { runCli } from '../src/cli-process';
import { startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
let env: Record<string, string>;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant();
  env = { SWITCHYARD_URL: stack.api.url, SWITCHYARD_API_KEY: tenant.apiKey };
  const run = (model: string, content: string) =>
    tenant.client.submit(
      { model, input: { messages: [{ role: 'user', content }], max_tokens: 50 }, cache: true },
      { waitSeconds: 20 },
    );
  await run('openai/gpt-4o-mini', 'Count my usage');
  await run('openai/gpt-4o-mini', 'Count my usage'); // a cache hit
  await run('anthropic/claude-3-5-haiku-latest', 'And mine');
});
afterAll(() => stack.close());

const usd = (value: number) => `$${value.toFixed(6)}`;
const cells = (row: UsageFigures) => [
  String(row.requests),
  String(row.input_tokens),
  String(row.output_tokens),
  usd(row.cost_usd),
  String(row.cache_hits),
  usd(row.cost_saved_usd),
];

/** The table as the CLI should print it: first column left, the figures right-aligned. */
function table(report: UsageReport): string {
  const groups =
    report.group_by === 'model'
      ? report.data.map((row) => [row.model, ...cells(row)])
      : report.data.map((row) => [row.day, ...cells(row)]);
  const rows = [
    [
      report.group_by.toUpperCase(),
      'REQUESTS',
      'TOKENS IN',
      'TOKENS OUT',
      'COST',
      'CACHE HITS',
      'COST SAVED',
    ],
    ...groups,
    ['TOTAL', ...cells(report.totals)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  '),
  );
  return `Usage ${report.from} to ${report.to} (UTC), by ${report.group_by}\n${lines.join('\n')}\n`;
}

test('usage prints one row per model and a totals row; --json prints the API report', async () => {
  const report = await tenant.client.usage();
  if (report.group_by !== 'model')
    throw new Error(`expected a report by model, got ${report.group_by}`);
  expect(report.data.map((row) => [row.model, row.requests, row.cache_hits])).toEqual([
    ['anthropic/claude-3-5-haiku-latest', 1, 0],
    ['openai/gpt-4o-mini', 2, 1],
  ]);
  expect(await runCli(['usage'], env)).toEqual({ code: 0, stdout: table(report), stderr: '' });
  const json = await runCli(['usage', '--json'], env);
  expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: '' });
});

test('--group-by day and a --from/--to range', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const report = await tenant.client.usage({ from: today, to: today, groupBy: 'day' });
  expect(report.data).toHaveLength(1);
  expect(report.totals.requests).toBe(3);
  expect(await runCli(['usage', '--group-by', 'day', '--from', today, '--to', today], env)).toEqual(
    { code: 0, stdout: table(report), stderr: '' },
  );
});

test('an empty range is the headings and a zero totals row; a bad date is the API’s 400, exit 1', async () => {
  const report = await tenant.client.usage({ from: '2020-01-01', to: '2020-01-31' });
  expect(report.data).toEqual([]);
  expect(await runCli(['usage', '--from', '2020-01-01', '--to', '2020-01-31'], env)).toEqual({
    code: 0,
    stdout: table(report),
    stderr: '',
  });
  expect(await runCli(['usage', '--from', '2026-02-30'], env)).toEqual({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(
      /^switchyard: 400 invalid_request: Invalid request: query\.from: .+ \(request_id req_\w+\)\n$/,
    ),
  });
});
