import type { Settings } from '@switchyard/config';
import { parseModelRef } from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import {
  type CallFailure,
  cacheKey,
  type DedupResult,
  type FailureKind,
  onRequestSent,
  ProviderCallError,
  type ProviderPools,
  type ProviderResponse,
  type RequestDedup,
} from '@switchyard/providers';
import { isRedisUnavailableError, type Keys } from '@switchyard/redis-kit';
import { DeltaBatcher, type JobRecord } from '@switchyard/queue';
import type { Redis } from 'ioredis';
import type { CallAdmission, Ticket } from './call-admission';
import type { CircuitView } from './circuit-view';
import { type CallTiming, providerRequest } from './provider-call';

/** What trying the current model of a job's chain came to. */
export type HopOutcome =
  /**
   * An answer: from this job's own call (`source: 'call'`), the cache, or an identical job's call
   * (`dedup`); `call` is set only for the job's own call.
   */
  | {
      kind: 'answered';
      response: ProviderResponse;
      source: DedupResult['source'];
      call: CallTiming | undefined;
    }
  | { kind: 'failed'; failure: CallFailure; call: CallTiming }
  /** No call: the model's circuit is open. */
  | { kind: 'circuit_open'; retryInMs: number }
  /** No call: no slot in the provider's limits soon. */
  | { kind: 'no_slot'; waitMs: number }
  /** No call: the job's signal fired while it waited (cancel or shutdown). */
  | { kind: 'aborted' }
  /** No call: Redis failed a step before it (dedup's pub/sub fails fast); try again shortly. */
  | { kind: 'redis_unavailable' };

/** Failures that say the provider is unwell (not the request, not a limit): they trip circuits. */
const UNHEALTHY: ReadonlySet<FailureKind> = new Set(['retryable', 'timeout']);

/** Carries a no-call outcome out of the dedup wrapper, which sees it as the leader failing. */
class Detour extends Error {
  constructor(readonly outcome: HopOutcome) {
    super(outcome.kind);
  }
}

export interface HopCallerDeps {
  settings: Settings;
  pools: ProviderPools;
  admission: CallAdmission;
  circuit: CircuitView;
  dedup: RequestDedup;
  logger: Logger;
  /** For publishing output deltas when `worker.stream_deltas` is on. */
  redis: Redis;
  keys: Keys;
}

/**
 * One model of a job's chain: cache and in-flight dedup first (they need no slot and no healthy
 * provider), then the circuit, a slot in the shared limits and an API key, then the call.
 */
export class HopCaller {
  constructor(private readonly deps: HopCallerDeps) {}

  async call(record: JobRecord, entry: string, signal: AbortSignal): Promise<HopOutcome> {
    const target = parseModelRef(entry)!;
    const request = providerRequest(record, target.model);
    let timing: CallTiming | undefined;
    const callProvider = async (): Promise<ProviderResponse> => {
      const permit = await this.deps.circuit.acquire(entry);
      if (!permit.allowed) throw new Detour({ kind: 'circuit_open', retryInMs: permit.retryInMs });
      const { probe } = permit;
      const member = `${record.id}:${record.attempts.length}`;
      const admission = await this.deps.admission.admit(target, request, member, signal);
      if (!admission.admitted) throw new Detour({ kind: 'no_slot', waitMs: admission.waitMs });
      const call = { ...target, startedAt: Date.now(), endedAt: 0 };
      timing = call;
      // Deltas go out while the call runs; a listener (the API's events stream) relays them.
      const deltas = this.deps.settings.worker.streamDeltas
        ? new DeltaBatcher(this.deps.redis, this.deps.keys, record.id)
        : undefined;
      try {
        const { ticket } = admission;
        const complete = () =>
          admission.key.adapter.complete(request, {
            signal,
            timeoutMs: this.deps.settings.providers[target.provider]!.timeoutMs,
            onDelta: deltas && ((text) => deltas.push(text)),
          });
        const response = await (
          ticket ? onRequestSent(() => this.deps.admission.sent(ticket), complete) : complete()
        ).finally(() => deltas?.flush().catch(() => undefined));
        call.endedAt = Date.now();
        // The provider says this key's budget is spent: every process waits for its reset.
        if (response.exhaustedForMs > 0) {
          await this.deps.admission
            .hold(admission.ticket, response.exhaustedForMs)
            .catch(() => undefined);
        }
        void this.settle(entry, admission.ticket, probe, 'success', response);
        return response;
      } catch (error) {
        call.endedAt = Date.now();
        if (error instanceof ProviderCallError)
          await this.afterFailure(entry, admission.ticket, probe, error.failure);
        throw error;
      }
    };
    try {
      if (!record.request.cache) {
        return { kind: 'answered', response: await callProvider(), source: 'call', call: timing };
      }
      const key = cacheKey({
        target: entry,
        request,
        tenantId: record.tenant_id,
        shared: this.deps.settings.cache.shared,
      });
      const result = await this.deps.dedup.run(key, callProvider, signal);
      return { kind: 'answered', ...result, call: result.source === 'call' ? timing : undefined };
    } catch (error) {
      if (error instanceof Detour) return error.outcome;
      if (error instanceof ProviderCallError)
        return { kind: 'failed', failure: error.failure, call: timing! };
      if (signal.aborted) return { kind: 'aborted' };
      if (isRedisUnavailableError(error)) return { kind: 'redis_unavailable' };
      throw error;
    }
  }

  private async afterFailure(
    entry: string,
    ticket: Ticket | undefined,
    probe: boolean,
    failure: CallFailure,
  ) {
    // Every process holds off this key and model for as long as the provider asked.
    if (failure.kind === 'rate_limited' && failure.retryAfterMs) {
      await this.deps.admission.hold(ticket, failure.retryAfterMs).catch(() => undefined);
    }
    const health =
      failure.kind === 'canceled' ? undefined : UNHEALTHY.has(failure.kind) ? 'failure' : 'success';
    void this.settle(entry, ticket, probe, health, undefined);
  }

  /**
   * Settles the call's limits and tells the circuit how the provider did. Not awaited by the
   * job: neither changes its outcome, and the worker connection retries until Redis answers.
   */
  private async settle(
    entry: string,
    ticket: Ticket | undefined,
    probe: boolean,
    health: 'success' | 'failure' | undefined,
    response: ProviderResponse | undefined,
  ): Promise<void> {
    try {
      const used = response && response.inputTokens + response.outputTokens;
      await Promise.all([
        this.deps.admission.settle(ticket, used),
        health && this.deps.circuit.record(entry, health, probe),
      ]);
    } catch (err) {
      this.deps.logger.warn({ err, entry }, 'could not settle limits or circuit');
    }
  }
}
