import { nodeFetch } from '@switchyard/providers';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { countFinished } from '../finish-counter';
import { JobLoader } from '../job-loader';
import { openLoop } from '../open-loop';
import { startBenchRedis } from '../redis';
import { callOnce, simulatorClient } from '../sdk-call';
import type { ScenarioContext } from '../runner';
import { percentile } from '../stats';

export interface LatencyOptions {
  /** Jobs per second, open loop; each rate is measured in turn. */
  rates: number[];
  /** Measured seconds per rate, after the warm-up. */
  seconds: number;
  /** Seconds at the same rate before measuring (connections opened, code compiled). */
  warmupSeconds: number;
  /** The simulator's latency per call. */
  latencyMs: number;
  /** The worker's concurrency (room above rate × latency, so only the platform's work queues). */
  concurrency: number;
}

/**
 * What the platform adds to a call, at a steady open-loop arrival rate: from submit to the job's
 * end, minus the simulator's own latency. Its baseline, at the same rate, right before: the same
 * call made directly to the simulator with the SDK (and the worker's fetch), minus the same
 * latency: the part of the "added" time that is only the HTTP exchange on this machine.
 */
export async function latencyScenario(
  { scope, report }: ScenarioContext,
  options: LatencyOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, `${options.latencyMs}ms`);
  await startWorkerProcess(scope, redis, simulator.url, { concurrency: options.concurrency });
  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
  const client = simulatorClient(simulator.url, nodeFetch);
  const warmup = (rate: number) => rate * options.warmupSeconds;
  const count = (rate: number) => warmup(rate) + rate * options.seconds;

  let submitted = 0; // a fresh prompt per job: a repeated one would be answered from the cache
  for (const rate of options.rates) {
    const direct = await openLoop({ rate, count: count(rate), signal: scope.signal }, async (i) => {
      const sent = performance.now();
      const answered = await callOnce(client, i);
      return answered ? performance.now() - sent - options.latencyMs : undefined;
    });
    const directMeasured = direct.slice(warmup(rate));
    const directAdded = directMeasured.filter((ms) => ms !== undefined);

    const ids = await scope.part(async (part) => {
      const finished = part.add(await countFinished(redis.url, count(rate)), (f) => f.close());
      const sent = await openLoop({ rate, count: count(rate), signal: scope.signal }, () =>
        loader.submit(submitted++),
      );
      await finished.done;
      return sent;
    });
    const { succeeded, failed } = await loader.outcomes(ids.slice(warmup(rate)));
    const added = succeeded.map((r) => r.completed_at! - r.created_at - options.latencyMs);
    const measure = (p: number) => `added latency p${p} at ${rate} jobs/s`;
    report(
      figure(measure(50), 'ms', percentile(added, 50), {
        baseline: { what: 'direct SDK call', value: percentile(directAdded, 50) },
      }),
      figure(measure(99), 'ms', percentile(added, 99), {
        baseline: { what: 'direct SDK call', value: percentile(directAdded, 99) },
        aim: 'p99 < 200 ms',
      }),
      figure(`jobs that did not succeed at ${rate} jobs/s`, 'jobs', failed, {
        baseline: {
          what: 'direct calls that failed',
          value: directMeasured.length - directAdded.length,
        },
        aim: '0',
      }),
    );
  }
}
