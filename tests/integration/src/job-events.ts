import type { JobEvent } from '@switchyard/queue';
import type { Stack } from './stack';

/**
 * Starts listening to a job's events now (before the action that causes them) and returns a
 * function that resolves at the first event matching `match`: a test awaits the write itself,
 * never a sleep.
 */
export async function awaitJobEvent(
  stack: Stack,
  jobId: string,
  match: (event: JobEvent) => boolean,
): Promise<() => Promise<JobEvent>> {
  let resolve!: (event: JobEvent) => void;
  const matched = new Promise<JobEvent>((r) => (resolve = r));
  const unwatch = await stack.api.deps.watcher.watch(jobId, (event) => {
    if (match(event)) resolve(event);
  });
  return async () => {
    const event = await matched;
    unwatch();
    return event;
  };
}
