import { startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { JobLoader } from '../job-loader';
import { sampleEvery } from '../open-loop';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { simulatorStats } from '../simulator-stats';
import { percentile } from '../stats';
import { setTimeout as sleep } from 'node:timers/promises';

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
 * the concurrency it is configured with: a backlog several times the concurrency is queued, the
 * worker starts, and the simulator's calls in flight are sampled every 100 ms for two seconds
 * from one latency after the worker is up (the backlog lasts longer than that).
 */
export async function inflightScenario(
  { scope, report }: ScenarioContext,
  options: InflightOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, `${options.latencyMs}ms`);
  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
  await loader.submitMany(options.concurrency * options.backlog);
  await startWorkerProcess(scope, redis, simulator.url, { concurrency: options.concurrency });
  await sleep(options.latencyMs, undefined, { signal: scope.signal });
  const sampler = sampleEvery(100, async () => (await simulatorStats(simulator.url)).inFlight);
  scope.add(sampler, (s) => void s.stop().catch(() => undefined));
  await sleep(2_000, undefined, { signal: scope.signal });
  const inFlight = await sampler.stop();
  const configured = { what: 'configured concurrency', value: options.concurrency };
  report(
    figure(
      `calls in flight, 1 worker, ${options.latencyMs} ms calls (median sample)`,
      'calls',
      percentile(inFlight, 50),
      {
        baseline: configured,
        aim: 'ratio ≥ 0.95',
      },
    ),
    figure('calls in flight (lowest sample)', 'calls', Math.min(...inFlight), {
      baseline: configured,
    }),
  );
}
