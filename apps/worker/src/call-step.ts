import type { Settings } from '@switchyard/config';
import type { Logger } from '@switchyard/observability';
import {
  type CallFailure,
  cacheKey,
  type DedupResult,
  type FailureKind,
  onRequestSent,
  ProviderCallError,
  type ProviderRequest,
  type ProviderResponse,
  type RequestDedup,
} from '@switchyard/providers';
import { DeltaBatcher, type JobRecord } from '@switchyard/queue';
import { isRedisUnavailableError, type Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import type { CallAdmission, ProviderPause, Ticket } from './call-admission';
import type { CircuitView } from './circuit-view';
import type { Hop } from './hop';
import type { LostCalls } from './lost-call';
import { type CallTiming, providerRequest } from './provider-call';

/** What trying one hop of a job's chain came to. Every way it can end is a value, never a throw. */
export type CallOutcome =
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

/** What this process's own attempt at the hop came to (what dedup's leader hands back). */
type OwnOutcome = Extract<
  CallOutcome,
  { kind: 'answered' | 'failed' | 'circuit_open' | 'no_slot' }
>;

/** Failures that say the provider is unwell (not the request, not a limit): they trip circuits. */
const UNHEALTHY: ReadonlySet<FailureKind> = new Set(['retryable', 'timeout']);

export interface CallStepDeps {
  settings: Settings;
  admission: CallAdmission;
  circuit: CircuitView;
  dedup: RequestDedup;
  /** Notes each call before it is made, so a call whose worker dies is still counted. */
  lostCalls: Pick<LostCalls, 'note'>;
  logger: Logger;
  /** For appending output deltas to the job's event stream. */
  redis: Redis;
  keys: Keys;
}

/**
 * Tries one hop of a job's chain: cache and in-flight dedup first (they need no slot and no
 * healthy provider), then the circuit, a slot in the shared limits and an API key, then the call.
 * It decides nothing about the job: the runner's `decide` does, from the outcome.
 */
export class CallStep {
  constructor(private readonly deps: CallStepDeps) {}

  async call(record: JobRecord, hop: Hop, signal: AbortSignal): Promise<CallOutcome> {
    const request = providerRequest(record, hop.target.model);
    const own = () => this.callProvider(record, hop, request, signal);
    try {
      if (!record.request.cache) return await own();
      const key = cacheKey({
        target: hop.entry,
        request,
        tenantId: record.tenant_id,
        shared: this.deps.settings.cache.shared,
      });
      let mine: OwnOutcome | undefined;
      const result = await this.deps.dedup.run<OwnOutcome>(
        key,
        async () => {
          const outcome = await own();
          mine = outcome;
          return outcome.kind === 'answered'
            ? { response: outcome.response }
            : { declined: outcome };
        },
        signal,
        // A run of this job after its worker died takes over the lease the dead run left.
        record.id,
      );
      if ('declined' in result) return result.declined;
      // Our own call answered: `mine` holds its timing. Otherwise no call of ours was made.
      if (result.source === 'call' && mine) return mine;
      return {
        kind: 'answered',
        response: result.response,
        source: result.source,
        call: undefined,
      };
    } catch (error) {
      // Not the provider's answer: the wait was cut short, or Redis failed a step around it.
      if (signal.aborted) return { kind: 'aborted' };
      if (isRedisUnavailableError(error)) return { kind: 'redis_unavailable' };
      throw error;
    }
  }

  /** The circuit, a slot and a key, then this process's own call to the provider. */
  private async callProvider(
    record: JobRecord,
    hop: Hop,
    request: ProviderRequest,
    signal: AbortSignal,
  ): Promise<OwnOutcome> {
    const permit = await this.deps.circuit.acquire(hop.entry);
    if (!permit.allowed) return { kind: 'circuit_open', retryInMs: permit.retryInMs };
    const member = `${record.id}:${record.attempts.length}`;
    const admission = await this.deps.admission.admit(hop.target, request, member, signal);
    if (!admission.admitted) return { kind: 'no_slot', waitMs: admission.waitMs };
    const { ticket } = admission;
    let listened: boolean;
    try {
      ({ listened } = await this.deps.lostCalls.note(record, hop, request));
    } catch (error) {
      // No note, no call: the slot goes back, and the job waits for Redis like any other step.
      await this.deps.admission.settle(ticket, undefined).catch(() => undefined);
      throw error;
    }
    const call: CallTiming = { ...hop.target, startedAt: Date.now(), endedAt: 0 };
    // A call streams when someone listens to the job's events (the API marks the job; the note
    // above read the mark), or when the job is fresh: its submitter is likely about to open its
    // events, a few ms after the worker picked it up. Streaming every call would cost the worker
    // a lot (docs/EVENTS.md). A listener who comes mid-call gets its text as one delta at the end.
    // Only an interactive job submitted alone is fresh that way: the items of a batch (10,000
    // at once) and `batch` jobs are read from their results, not watched as they run.
    const fresh =
      record.request.priority === 'interactive' &&
      record.batch === undefined &&
      Date.now() - record.created_at < this.deps.settings.events.listenGraceMs;
    const deltas =
      listened || fresh
        ? new DeltaBatcher(this.deps.redis, this.deps.keys, record.id, {
            maxLen: this.deps.settings.events.maxLen,
          })
        : undefined;
    const complete = () =>
      admission.key.adapter.complete(request, {
        signal,
        timeoutMs: this.deps.settings.providers[hop.target.provider]!.timeoutMs,
        onDelta: deltas && ((text) => deltas.push(text)),
      });
    let result: { response: ProviderResponse } | { failure: CallFailure };
    try {
      const sent = ticket
        ? onRequestSent(() => this.deps.admission.sent(ticket), complete)
        : complete();
      result = { response: await sent };
    } catch (error) {
      // An adapter throws only ProviderCallError; anything else is a bug, and stays an error.
      if (!(error instanceof ProviderCallError)) throw error;
      result = { failure: error.failure };
    } finally {
      call.endedAt = Date.now();
      await deltas?.flush().catch(() => undefined);
    }
    await this.settle(hop, ticket, permit.probe, result);
    return 'response' in result
      ? { kind: 'answered', response: result.response, source: 'call', call }
      : { kind: 'failed', failure: result.failure, call };
  }

  /**
   * After the call: every process holds off this key and model for as long as the provider
   * asked (awaited, so this job's own next step already sees it); the limits get the real usage
   * and the circuit hears how the provider did (not awaited: neither changes the job's outcome,
   * and the worker connection retries until Redis answers).
   */
  private async settle(
    hop: Hop,
    ticket: Ticket | undefined,
    probe: boolean,
    result: { response: ProviderResponse } | { failure: CallFailure },
  ): Promise<void> {
    const pause = providerPause(result);
    if (pause) await this.deps.admission.hold(ticket, pause).catch(() => undefined);
    const used =
      'response' in result ? result.response.inputTokens + result.response.outputTokens : undefined;
    const health = circuitHealth(result);
    void Promise.all([
      this.deps.admission.settle(ticket, used),
      health && this.deps.circuit.record(hop.entry, health, probe),
    ]).catch((err: unknown) =>
      this.deps.logger.warn({ err, entry: hop.entry }, 'could not settle limits or circuit'),
    );
  }
}

/**
 * What a call tells the model's circuit: an answer, a 4xx or a rate limit is a success (the
 * provider is up), a 5xx, reset or timeout a failure; nothing for a canceled call, or for a
 * failure that may be our connection pool's rather than the provider's (`unattributed`).
 */
export function circuitHealth(
  result: { response: unknown } | { failure: CallFailure },
): 'success' | 'failure' | undefined {
  if ('response' in result) return 'success';
  const { kind, unattributed } = result.failure;
  if (kind === 'canceled' || unattributed) return undefined;
  return UNHEALTHY.has(kind) ? 'failure' : 'success';
}

/**
 * How long the provider told us to leave this key and model alone: the Retry-After of a rate
 * limit (429), or the time until a budget its headers report spent resets. The one place a
 * provider's "not before" reaches the shared limits.
 */
export function providerPause(
  result: { response: Pick<ProviderResponse, 'exhaustedForMs'> } | { failure: CallFailure },
): ProviderPause | undefined {
  if ('response' in result) {
    const ms = result.response.exhaustedForMs;
    return ms > 0 ? { ms, reason: 'spent' } : undefined;
  }
  const ms = result.failure.kind === 'rate_limited' ? (result.failure.retryAfterMs ?? 0) : 0;
  return ms > 0 ? { ms, reason: 'refused' } : undefined;
}
