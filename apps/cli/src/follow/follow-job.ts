import type { Job } from '@switchyard/core';
import type { SwitchyardClient } from '@switchyard/sdk';
import { ExitCode } from '../exit-codes';
import { jobSummary, paintStatus } from '../format/job-format';
import type { Output } from '../output/output';
import { type Progress, startSpinner } from '../output/progress';
import { untilInterrupted } from './interrupt';

/**
 * How long `--wait` keeps waiting: a day, i.e. until the job ends or the user stops it (jobs end
 * long before through their own deadlines). Finite because timers take at most ~24.8 days.
 */
const WAIT_FOR_MS = 24 * 60 * 60 * 1_000;

/** How following a job ended: the job in its final state, or stopped by Ctrl-C while `last`. */
export type Followed = { ended: true; job: Job } | { ended: false; last: Job };

/** Waits with long-polls; on a terminal, a spinner shows the job's latest status and the time. */
export async function waitForJob(
  client: SwitchyardClient,
  job: Job,
  out: Output,
): Promise<Followed> {
  let last = job;
  let spinner: Progress | undefined;
  try {
    const result = await untilInterrupted(() => {
      // Drawn only once Ctrl-C is handled: a Ctrl-C at the first frame must find the handler.
      if (out.live)
        spinner = startSpinner(
          out.stderr,
          () => `${last.id} ${paintStatus(out.err.bind(out), last.status)}`,
        );
      return client.wait(job.id, {
        timeoutMs: WAIT_FOR_MS,
        onPoll: (latest) => void (last = latest),
      });
    });
    return result.interrupted ? { ended: false, last } : { ended: true, job: result.value };
  } finally {
    spinner?.stop();
  }
}

/**
 * Follows the job's event stream: output text goes to stdout as it arrives, status changes to
 * stderr. With --json every event is one JSON line on stdout instead.
 */
export async function streamJob(
  client: SwitchyardClient,
  job: Job,
  out: Output,
): Promise<Followed> {
  let last = job;
  let endsWithNewline = true;
  const result = await untilInterrupted(async (signal) => {
    for await (const event of client.stream(job.id, { signal })) {
      if (out.json) out.jsonLine(event);
      if (event.type === 'done') return event.data;
      if (event.type === 'status') {
        last = { ...last, status: event.data.status };
        if (!out.json) out.note(out.err('dim', `${job.id} is ${event.data.status}`));
      } else if (!out.json) {
        out.stdout.write(event.data.text);
        endsWithNewline = event.data.text.endsWith('\n');
      }
    }
    // The SDK's stream ends only after `done`; should the server close early, wait for the end.
    return client.wait(job.id, { timeoutMs: WAIT_FOR_MS });
  });
  if (!out.json && !endsWithNewline) out.stdout.write('\n');
  return result.interrupted ? { ended: false, last } : { ended: true, job: result.value };
}

/**
 * The one place a followed job becomes output and an exit code: the final job (JSON, or a
 * summary: on stdout after --wait, on stderr after --stream since stdout holds the text), a line
 * on stderr when it did not succeed, or after Ctrl-C how to follow it again.
 */
export function reportFollowed(followed: Followed, out: Output, streamed: boolean): ExitCode {
  if (!followed.ended) {
    const { id, status } = followed.last;
    out.note(
      `switchyard: stopped following ${id} (last seen ${status}); the job goes on. ` +
        `Follow it again with: switchyard get ${id} --wait`,
    );
    return ExitCode.interrupted;
  }
  const { job } = followed;
  if (!out.json) {
    if (streamed) out.note(jobSummary(job, out.err.bind(out), false));
    else out.print(jobSummary(job, out.out.bind(out), true));
  } else if (!streamed) out.data(job);
  if (job.status === 'succeeded') return ExitCode.ok;
  const reason = job.error ? `: ${job.error.type}: ${job.error.message}` : '';
  out.note(`switchyard: job ${job.id} ${job.status}${reason}`);
  return ExitCode.failed;
}
