import { startRedisServer } from '@switchyard/redis-server';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { countFinished } from '../finish-counter';
import { JobLoader } from '../job-loader';
import { withScope } from '../scope';
import { fmt, percentile, type Row } from '../stats';

export interface InflightOptions {
  /** Jobs submitted per second, open loop. */
  rate: number;
  /** Measured seconds, after the warm-up. */
  seconds: number;
  /** Seconds at the same rate before measuring (connections opened, code compiled). */
  warmupSeconds: number;
  latencyMs: number;
}

interface SimulatorStats {
  inFlight: number;
}

/**
 * How many provider calls one worker process holds at once when each takes `latencyMs`, and
 * what the platform adds on top of the call itself (queue wait and bookkeeping), at a steady
 * open-loop arrival rate. At rate × latency calls in flight the worker keeps up; added latency
 * says by how much.
 */
export function inflightScenario(options: InflightOptions): Promise<Row[]> {
  return withScope(async (scope) => {
    const redis = scope.add(await startRedisServer(), (r) => r.stop());
    const simulator = scope.add(await startSimulatorProcess(`${options.latencyMs}ms`), (s) =>
      s.stop(),
    );
    scope.add(
      await startWorkerProcess(redis, simulator.url, { concurrency: options.rate * 3 }),
      (w) => w.stop(),
    );
    const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
    const warmup = options.rate * options.warmupSeconds;
    const total = warmup + options.rate * options.seconds;
    const finished = scope.add(await countFinished(redis.url, total), (f) => f.close());

    const measured: string[] = [];
    const submissions: Array<Promise<unknown>> = [];
    const samples: Array<Promise<number>> = [];
    const started = Date.now();
    const measureFrom = started + options.warmupSeconds * 1_000 + options.latencyMs;
    const measureUntil = started + (options.warmupSeconds + options.seconds) * 1_000;
    // In-flight calls at the provider, sampled through the measured window.
    const sampler = setInterval(() => {
      const now = Date.now();
      if (now < measureFrom || now > measureUntil) return;
      samples.push(
        fetch(`${simulator.url}/_sim/stats`)
          .then((response) => response.json() as Promise<SimulatorStats>)
          .then((stats) => stats.inFlight),
      );
    }, 100);
    scope.add(sampler, clearInterval);
    // Open loop: submissions keep their schedule whatever the worker does.
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1_000) / options.rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      submissions.push(loader.submit(i).then((id) => i >= warmup && measured.push(id)));
    }
    await Promise.all(submissions);
    clearInterval(sampler);
    const inFlight = await Promise.all(samples);
    await finished.done;

    const added: number[] = [];
    let succeeded = 0;
    for (const id of measured) {
      const record = (await loader.store.get(id))!;
      if (record.status === 'succeeded') succeeded++;
      const call = record.attempts.at(-1)!;
      added.push(record.completed_at! - record.created_at - call.latency_ms);
    }
    const label = `inflight (${fmt(options.rate)}/s × ${options.latencyMs} ms, 1 worker process)`;
    return [
      {
        scenario: label,
        measure: 'calls in flight at the provider (median sample)',
        value: fmt(percentile(inFlight, 50)),
        aim: '≥ 1,000',
      },
      {
        scenario: label,
        measure: 'calls in flight at the provider (max sample)',
        value: fmt(Math.max(...inFlight)),
      },
      {
        scenario: label,
        measure: 'measured jobs succeeded',
        value: `${fmt(succeeded)} / ${fmt(measured.length)}`,
      },
      { scenario: label, measure: 'added latency p50 (ms)', value: fmt(percentile(added, 50)) },
      {
        scenario: label,
        measure: 'added latency p99 (ms)',
        value: fmt(percentile(added, 99)),
        aim: '< 200',
      },
    ];
  });
}
