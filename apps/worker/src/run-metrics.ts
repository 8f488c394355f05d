import { modelLabel, providerModelLabel, type Settings } from '@switchyard/config';
import type { Attempt, ModelRef, Usage } from '@switchyard/core';
import type { WorkerMetrics } from '@switchyard/observability';
import type { JobRecord } from '@switchyard/queue';

/**
 * What a worker counts about the jobs it runs, in one place. Models become labels only through
 * the config (see modelLabel): a tenant may name any model of a configured provider, and each
 * label value would be a series of its own for as long as Prometheus keeps them.
 */
export class RunMetrics {
  constructor(
    private readonly settings: Settings,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** A job started by this claim (not a retry or a limiter wait coming back). */
  started(record: JobRecord, at: number): void {
    this.metrics.queueWait.observe(
      { lane: record.request.priority },
      (at - record.created_at) / 1_000,
    );
  }

  /** One provider call and how it ended (a 429 counted apart too). */
  call(target: ModelRef, attempt: Attempt): void {
    const labels = { ...this.target(target), outcome: attempt.outcome };
    this.metrics.providerCalls.inc(labels);
    this.metrics.providerLatency.observe(labels, attempt.latency_ms / 1_000);
    if (attempt.status_code === 429) this.metrics.providerRateLimited.inc(this.target(target));
  }

  limiterWait(target: ModelRef): void {
    this.metrics.limiterWaits.inc(this.target(target));
  }

  retry(target: ModelRef): void {
    this.metrics.retries.inc(this.target(target));
  }

  fallback(from: string, moved: JobRecord, reason: 'failure' | 'circuit_open' | 'unpriced'): void {
    this.metrics.fallbacks.inc({
      from: modelLabel(this.settings, from),
      to: modelLabel(this.settings, moved.chain[moved.hop]!),
      reason,
    });
  }

  cacheLookup(source: 'cache' | 'dedup' | 'call'): void {
    const result = source === 'cache' ? 'hit' : source === 'dedup' ? 'dedup' : 'miss';
    this.metrics.cacheLookups.inc({ result });
  }

  /** Tokens of an answer (cached ones included) and the money its call cost. */
  usage(entry: string, usage: Usage): void {
    const model = modelLabel(this.settings, entry);
    this.metrics.tokens.inc({ model, direction: 'input' }, usage.input_tokens);
    this.metrics.tokens.inc({ model, direction: 'output' }, usage.output_tokens);
    if (usage.cost_usd) this.metrics.cost.inc({ model }, usage.cost_usd);
  }

  /** A job that reached a final status here, whichever path ended it. */
  finished(record: JobRecord): void {
    const labels = {
      model: modelLabel(this.settings, record.request.model),
      status: record.status,
    };
    this.metrics.jobsFinished.inc(labels);
    if (record.completed_at === null) return;
    this.metrics.jobDuration.observe(labels, (record.completed_at - record.created_at) / 1_000);
    if (record.started_at !== null) {
      this.metrics.runDuration.observe(labels, (record.completed_at - record.started_at) / 1_000);
    }
  }

  /** The circuit of `provider/model` as the breaker last reported it. */
  circuit(target: ModelRef, state: 'closed' | 'half_open' | 'open'): void {
    this.metrics.circuitState.set(this.target(target), CIRCUIT_GAUGE.get(state) ?? 0);
  }

  private target(target: ModelRef): { provider: string; model: string } {
    return {
      provider: target.provider,
      model: providerModelLabel(this.settings, target.provider, target.model),
    };
  }
}

/** The circuit-state gauge's values. */
const CIRCUIT_GAUGE: ReadonlyMap<string, number> = new Map([
  ['closed', 0],
  ['half_open', 1],
  ['open', 2],
]);
