import type { Batch } from '@switchyard/core';
import type { SwitchyardClient } from '@switchyard/sdk';
import { ExitCode } from '../exit-codes';
import { batchSummary, endedCount } from '../format/batch-format';
import type { Output } from '../output/output';
import { type Progress, progressBar, startSpinner } from '../output/progress';
import { untilInterrupted } from './interrupt';

/** As for jobs: until the batch ends or the user stops waiting (timers take at most ~24.8 days). */
const WAIT_FOR_MS = 24 * 60 * 60 * 1_000;

export type FollowedBatch = { ended: true; batch: Batch } | { ended: false; last: Batch };

/** Waits for the batch to end; on a terminal, a progress bar of requests ended on stderr. */
export async function waitForBatch(
  client: SwitchyardClient,
  batch: Batch,
  out: Output,
): Promise<FollowedBatch> {
  let last = batch;
  let bar: Progress | undefined;
  try {
    const result = await untilInterrupted((signal) => {
      // Drawn only once Ctrl-C is handled: a Ctrl-C at the first frame must find the handler.
      if (out.live)
        bar = startSpinner(out.stderr, () =>
          progressBar(endedCount(last), last.request_counts.total),
        );
      return client.batches.wait(batch.id, {
        timeoutMs: WAIT_FOR_MS,
        signal,
        onProgress: (latest) => void (last = latest),
      });
    });
    return result.interrupted ? { ended: false, last } : { ended: true, batch: result.value };
  } finally {
    bar?.stop();
  }
}

/**
 * The batch as output and an exit code: 0 when every request completed, 1 when any failed or
 * was canceled (a line on stderr says how many), 130 after Ctrl-C with how to pick it up again.
 */
export function reportBatch(followed: FollowedBatch, out: Output): ExitCode {
  if (!followed.ended) {
    const { id } = followed.last;
    out.note(
      `switchyard: stopped waiting for ${id}; the batch goes on. ` +
        `See it with: switchyard batches get ${id}`,
    );
    return ExitCode.interrupted;
  }
  const { batch } = followed;
  if (out.json) out.data(batch);
  else out.print(batchSummary(batch, out.out.bind(out)));
  const { failed, canceled } = batch.request_counts;
  if (batch.status === 'completed' && failed === 0 && canceled === 0) return ExitCode.ok;
  out.note(
    `switchyard: batch ${batch.id} ${batch.status}: ${failed} failed, ${canceled} canceled; ` +
      `see switchyard batches results ${batch.id}`,
  );
  return ExitCode.failed;
}
