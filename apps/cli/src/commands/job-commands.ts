import { type Job, JobStatus } from '@switchyard/core';
import type { SwitchyardClient } from '@switchyard/sdk';
import { type Command, stringFlag } from '../command';
import { ExitCode } from '../exit-codes';
import { reportFollowed, streamJob, waitForJob } from '../follow/follow-job';
import { jobSummary, jobTable } from '../format/job-format';
import type { Output } from '../output/output';
import { UsageError } from '../usage-error';

const FOLLOW_OPTIONS = { wait: { type: 'boolean' }, stream: { type: 'boolean' } } as const;

const FOLLOW_FLAGS: [string, string][] = [
  [
    '--wait',
    'wait for the end: a spinner with the job’s status and the elapsed time on\nstderr (terminals only), then the job with its output',
  ],
  [
    '--stream',
    'the output text on stdout as the provider streams it, status lines and the\nfinal job on stderr; with --json every event as one JSON line',
  ],
];
const FOLLOW_NOTES =
  'Exit 1 when a followed job ends failed, canceled or expired. Ctrl-C stops following\n' +
  '(exit 130) without canceling the job.';

type FollowMode = 'wait' | 'stream' | undefined;

/** --wait or --stream (or neither), checked before anything is sent. */
function followMode(values: Map<string, string | boolean>): FollowMode {
  const wait = values.get('wait') === true;
  const stream = values.get('stream') === true;
  if (wait && stream) throw new UsageError('choose one of --wait and --stream');
  return wait ? 'wait' : stream ? 'stream' : undefined;
}

/** After a submit or get: follow the job as asked, else show it as it is. */
async function showOrFollow(
  out: Output,
  client: SwitchyardClient,
  job: Job,
  mode: FollowMode,
  hint: boolean,
): Promise<ExitCode> {
  if (mode === 'wait') return reportFollowed(await waitForJob(client, job, out), out, false);
  if (mode === 'stream') return reportFollowed(await streamJob(client, job, out), out, true);
  if (out.json) out.data(job);
  else {
    out.print(jobSummary(job, out.out.bind(out), true));
    if (hint) out.note(out.err('dim', `Follow it with: switchyard get ${job.id} --wait`));
  }
  return ExitCode.ok;
}

export const submitCommand: Command = {
  name: 'submit',
  args: '--model M --prompt P [--wait|--stream] [--json]',
  summary: 'submit a job, optionally follow it',
  flags: [
    ['--model M', 'e.g. openai/gpt-4o-mini'],
    ['--prompt P', 'the user message'],
    ['--max-tokens N', 'the longest answer, in tokens'],
    ['--priority P', 'interactive (default) or batch'],
    ...FOLLOW_FLAGS,
  ],
  notes: FOLLOW_NOTES,
  options: {
    model: { type: 'string' },
    prompt: { type: 'string' },
    'max-tokens': { type: 'string' },
    priority: { type: 'string' },
    ...FOLLOW_OPTIONS,
  },
  run: async (context) => {
    const { values } = context;
    const mode = followMode(values);
    const model = stringFlag(values, 'model');
    const prompt = stringFlag(values, 'prompt');
    if (!model || !prompt) throw new UsageError('submit needs --model M --prompt P');
    const maxTokens = stringFlag(values, 'max-tokens');
    if (maxTokens !== undefined && !/^[1-9]\d{0,8}$/.test(maxTokens))
      throw new UsageError(`--max-tokens must be a positive whole number, not "${maxTokens}"`);
    const priority = stringFlag(values, 'priority');
    if (priority !== undefined && priority !== 'interactive' && priority !== 'batch')
      throw new UsageError(`--priority must be interactive or batch, not "${priority}"`);
    const client = context.client();
    const { job } = await client.submit({
      model,
      input: {
        messages: [{ role: 'user', content: prompt }],
        ...(maxTokens !== undefined && { max_tokens: Number(maxTokens) }),
      },
      ...(priority !== undefined && { priority }),
    });
    return showOrFollow(context.out, client, job, mode, true);
  },
};

export const getCommand: Command = {
  name: 'get',
  args: 'ID [--wait|--stream] [--json]',
  summary: 'a job, optionally follow it',
  flags: FOLLOW_FLAGS,
  notes: FOLLOW_NOTES,
  positionals: ['ID'],
  options: FOLLOW_OPTIONS,
  run: async (context) => {
    const mode = followMode(context.values);
    const client = context.client();
    const job = await client.get(context.positionals[0]!);
    return showOrFollow(context.out, client, job, mode, false);
  },
};

export const listCommand: Command = {
  name: 'list',
  args: '[--status S] [--limit N] [--json]',
  summary: 'your jobs, newest first, as a table',
  flags: [
    ['--status S', `only jobs in this status: ${JobStatus.options.join(', ')}`],
    ['--limit N', 'at most N jobs, 1 to 100 (default 20)'],
  ],
  options: { status: { type: 'string' }, limit: { type: 'string' } },
  run: async ({ values, out, client }) => {
    const status = stringFlag(values, 'status');
    const parsedStatus = status === undefined ? undefined : JobStatus.safeParse(status);
    if (parsedStatus && !parsedStatus.success)
      throw new UsageError(
        `--status must be one of ${JobStatus.options.join(', ')}, not "${status}"`,
      );
    const limit = stringFlag(values, 'limit');
    if (limit !== undefined && !/^(100|[1-9]\d?)$/.test(limit))
      throw new UsageError(`--limit must be a whole number from 1 to 100, not "${limit}"`);
    const list = await client().list({
      status: parsedStatus?.data,
      limit: limit === undefined ? undefined : Number(limit),
    });
    if (out.json) out.data(list);
    else if (list.data.length === 0) out.print('No jobs.');
    else {
      out.print(jobTable(list.data, out.out.bind(out)));
      if (list.has_more)
        out.note(out.err('dim', 'More jobs than shown: raise --limit (up to 100).'));
    }
    return ExitCode.ok;
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  args: 'ID [--json]',
  summary: 'cancel a queued or running job',
  notes: 'Prints the job as the cancel left it: canceled, or running until its call stops.',
  positionals: ['ID'],
  run: async ({ positionals, out, client }) => {
    const job = await client().cancel(positionals[0]!);
    if (out.json) out.data(job);
    else out.print(jobSummary(job, out.out.bind(out), true));
    return ExitCode.ok;
  },
};
