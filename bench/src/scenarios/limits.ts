import { startRedisServer } from '@switchyard/redis-server';
import { startSimulatorProcess, startWorkerProcess } from '../child';
import { JobLoader } from '../job-loader';
import { withScope } from '../scope';
import { fmt, type Row } from '../stats';

export interface LimitsOptions {
  workers: number;
  rpm: number;
  /** The provider's one-second sub-limit. */
  perSecond: number;
  /** Measured seconds (after a warm-up of 10 s). */
  seconds: number;
  latencyMs: number;
}

interface SimulatorStats {
  byStatus: Record<string, number>;
}

const WARMUP_SECONDS = 10;

/**
 * Several worker processes share one provider key whose limits the simulator enforces exactly
 * (sliding windows per key and model), with more jobs arriving than the limit allows: the share
 * of the limit used, and how many calls the provider refused.
 */
export function limitsScenario(options: LimitsOptions): Promise<Row[]> {
  return withScope(async (scope) => {
    const redis = scope.add(await startRedisServer(), (r) => r.stop());
    const simulator = scope.add(
      await startSimulatorProcess(`${options.latencyMs}ms`, [
        '--rpm',
        String(options.rpm),
        '--window',
        `1s:${options.perSecond}`,
      ]),
      (s) => s.stop(),
    );
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
      scope.add(await startWorkerProcess(redis, simulator.url, { concurrency: 200 }, config), (w) =>
        w.stop(),
      );
    }
    const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
    const stats = async () =>
      ((await (await fetch(`${simulator.url}/_sim/stats`)).json()) as SimulatorStats).byStatus;

    // Open loop at 1.5× the limit, so a backlog always waits for slots.
    const rate = (options.rpm / 60) * 1.5;
    const started = Date.now();
    const total = Math.ceil(rate * (WARMUP_SECONDS + options.seconds));
    let before: Record<string, number> = {};
    const measureFrom = started + WARMUP_SECONDS * 1_000;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1_000) / rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (!before['200'] && Date.now() >= measureFrom) before = await stats();
      void loader.submit(i);
    }
    const after = await stats();
    const measuredSeconds = (Date.now() - measureFrom) / 1_000;
    const served = (after['200'] ?? 0) - (before['200'] ?? 0);
    const allowed = Math.min(options.rpm / 60, options.perSecond) * measuredSeconds;
    const label = `limits (${options.workers} worker processes, ${fmt(options.rpm)} RPM + ${options.perSecond}/s, ${fmt(Math.round(measuredSeconds))} s)`;
    return [
      {
        scenario: label,
        measure: 'share of the limit used (calls served / calls allowed)',
        value: `${((served / allowed) * 100).toFixed(1)} %`,
        aim: '≥ 98 %',
      },
      { scenario: label, measure: 'calls served in the measured window', value: fmt(served) },
      {
        scenario: label,
        measure: '429s from the provider (whole run)',
        value: fmt(after['429'] ?? 0),
        aim: '0',
      },
    ];
  });
}
