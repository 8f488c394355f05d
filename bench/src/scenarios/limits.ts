import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { JobLoader } from '../job-loader';
import { openLoop } from '../open-loop';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { simulatorStats } from '../simulator-stats';

export interface LimitsOptions {
  workers: number;
  rpm: number;
  /** The provider's one-second sub-limit. */
  perSecond: number;
  /** Measured seconds (after a warm-up). */
  seconds: number;
  warmupSeconds: number;
  latencyMs: number;
}

/**
 * Several worker processes share one provider key whose limits the simulator enforces exactly
 * (sliding windows per key and model), with more jobs arriving than the limit allows (1.5×):
 * calls served per second in the measured window over the configured limit, and how many calls
 * the provider refused with a 429 over the whole run.
 */
export async function limitsScenario(
  { scope, report }: ScenarioContext,
  options: LimitsOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, `${options.latencyMs}ms`, [
    '--rpm',
    String(options.rpm),
    '--window',
    `1s:${options.perSecond}`,
  ]);
  const config = {
    models: {
      'openai/gpt-4o-mini': {
        input_per_million: 0.15,
        output_per_million: 0.6,
        limits: { rpm: options.rpm, windows: [{ window: '1s', requests: options.perSecond }] },
      },
    },
  };
  for (let i = 0; i < options.workers; i++) {
    await startWorkerProcess(scope, redis, simulator.url, { concurrency: 200 }, config);
  }
  const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());

  const limit = Math.min(options.rpm / 60, options.perSecond);
  const rate = limit * 1.5;
  // The window opens and closes on readings of the simulator's counters, timed where they are
  // taken, so the calls counted and the seconds they took come from the same two instants.
  const reading = async () => ({
    at: Date.now(),
    served: (await simulatorStats(simulator.url)).byStatus['200'] ?? 0,
  });
  const opening = sleep(options.warmupSeconds * 1_000, undefined, { signal: scope.signal }).then(
    reading,
  );
  opening.catch(() => undefined); // awaited below, once the load has been sent
  await openLoop(
    {
      rate,
      count: Math.ceil(rate * (options.warmupSeconds + options.seconds)),
      signal: scope.signal,
    },
    (i) => loader.submit(i),
  );
  const from = await opening;
  const to = await reading();
  const refused = (await simulatorStats(simulator.url)).byStatus['429'] ?? 0;
  const achieved = (to.served - from.served) / ((to.at - from.at) / 1_000);
  report(
    figure(
      `calls/s served, ${options.workers} worker processes sharing one key`,
      'calls/s',
      achieved,
      {
        baseline: {
          what: `configured limit (${options.rpm} RPM, ${options.perSecond}/s)`,
          value: limit,
        },
        aim: 'ratio ≥ 0.98',
      },
    ),
    figure('429s from the provider (whole run)', 'count', refused, { aim: '0' }),
  );
}
