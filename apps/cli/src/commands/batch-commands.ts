import { readFile } from 'node:fs/promises';
import { type Command, stringFlag } from '../command';
import { ExitCode } from '../exit-codes';
import { reportBatch, waitForBatch } from '../follow/follow-batch';
import { batchSummary, batchTable } from '../format/batch-format';
import { UsageError } from '../usage-error';

/** The file's text; one that cannot be read is a mistake in the command line, not an API error. */
async function readInput(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path} (${error.code ?? error.message})`);
  });
}

export const batchesCreateCommand: Command = {
  name: 'batches create',
  args: 'FILE.jsonl [--wait] [--webhook URL] [--json]',
  summary: 'a batch from an OpenAI Batch input file',
  flags: [
    ['FILE.jsonl', 'lines {"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}'],
    ['--webhook URL', 'receives batch.completed when every request has ended'],
    ['--wait', 'wait for the end: a progress bar of requests done on stderr (terminals only)'],
  ],
  notes: 'With --wait: exit 0 when every request completed, 1 when any failed or was canceled.',
  positionals: ['FILE.jsonl'],
  options: { wait: { type: 'boolean' }, webhook: { type: 'string' } },
  run: async ({ values, positionals, out, client }) => {
    const jsonl = await readInput(positionals[0]!);
    const api = client();
    const batch = await api.batches.create({ jsonl }, { webhook: stringFlag(values, 'webhook') });
    if (values.get('wait') === true) return reportBatch(await waitForBatch(api, batch, out), out);
    if (out.json) out.data(batch);
    else {
      out.print(batchSummary(batch, out.out.bind(out)));
      out.note(out.err('dim', `Results so far: switchyard batches results ${batch.id}`));
    }
    return ExitCode.ok;
  },
};

export const batchesGetCommand: Command = {
  name: 'batches get',
  args: 'ID [--json]',
  summary: 'a batch, with its request counts',
  positionals: ['ID'],
  run: async ({ positionals, out, client }) => {
    const batch = await client().batches.get(positionals[0]!);
    if (out.json) out.data(batch);
    else out.print(batchSummary(batch, out.out.bind(out)));
    return ExitCode.ok;
  },
};

export const batchesResultsCommand: Command = {
  name: 'batches results',
  args: 'ID',
  summary: 'results so far, JSONL on stdout',
  notes:
    'One line per request that has ended, in submission order, in OpenAI’s batch output shape\n' +
    '{id, custom_id, response, error}. Always JSON lines, with or without --json.',
  positionals: ['ID'],
  run: async ({ positionals, out, client }) => {
    for await (const line of client().batches.results(positionals[0]!)) out.jsonLine(line);
    return ExitCode.ok;
  },
};

export const batchesCancelCommand: Command = {
  name: 'batches cancel',
  args: 'ID [--json]',
  summary: 'cancel a batch’s requests not yet run',
  positionals: ['ID'],
  run: async ({ positionals, out, client }) => {
    const batch = await client().batches.cancel(positionals[0]!);
    if (out.json) out.data(batch);
    else out.print(batchSummary(batch, out.out.bind(out)));
    return ExitCode.ok;
  },
};

export const batchesListCommand: Command = {
  name: 'batches list',
  args: '[--json]',
  summary: 'your batches, newest first',
  run: async ({ out, client }) => {
    const list = await client().batches.list();
    if (out.json) out.data(list);
    else if (list.data.length === 0) out.print('No batches.');
    else out.print(batchTable(list.data, out.out.bind(out)));
    return ExitCode.ok;
  },
};
