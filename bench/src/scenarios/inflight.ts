import { startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { countFinished } from '../finish-counter';
import { JobLoader } from '../job-loader';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { simulatorStats } from '../simulator-stats';

export interface InflightOptions {
  /** The worker's configured concurrency. */
  concurrency: number;
  /** The simulator's latency per call. */
  latencyMs: number;
  /** Jobs queued before the worker starts, in multiples of the concurrency. */
  backlog: number;
}

/**
 * How many provider calls one worker process holds at once when each takes `latencyMs`, against
 * the concurrency it is configured with. A backlog several times the concurrency is queued and
 * the worker drains it. The mean comes from the records (Little's law: the calls' total time over
 * the time from the first start to the last end), so it counts every gap between two calls in a
 * slot; the peak is the simulator's own highest count.
 */
export async function inflightScenario(
  { scope, report }: ScenarioContext,
  options: InflightOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, `${options.latencyMs}ms`);
  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
  const jobs = options.concurrency * options.backlog;
  const ids = await loader.submitMany(jobs);
  const finished = scope.add(await countFinished(redis.url, jobs), (f) => f.close());
  await startWorkerProcess(scope, redis, simulator.url, { concurrency: options.concurrency });
  await finished.done;

  let first = Infinity;
  let last = 0;
  let callMs = 0;
  const { succeeded, failed } = await loader.outcomes(ids);
  for (const record of succeeded) {
    first = Math.min(first, record.started_at!);
    last = Math.max(last, record.completed_at!);
    callMs += record.attempts.at(-1)!.latency_ms;
  }
  const peak = (await simulatorStats(simulator.url)).maxInFlight;
  const configured = { what: 'configured concurrency', value: options.concurrency };
  const label = `calls in flight, 1 worker, ${options.latencyMs} ms calls`;
  report(
    figure(`${label}, mean over a ${options.backlog}× backlog`, 'calls', callMs / (last - first), {
      baseline: configured,
    }),
    figure(`${label}, peak`, 'calls', peak, { baseline: configured, aim: 'ratio 1.00' }),
    figure('jobs that did not succeed', 'jobs', failed, { aim: '0' }),
  );
}
