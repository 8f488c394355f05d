import type { Attempt } from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  costUsd,
  DEFAULT_OUTPUT_ESTIMATE,
  estimatePromptTokens,
  type ProviderRequest,
} from '@switchyard/providers';
import type { JobMutation, JobRecord, JobStore } from '@switchyard/queue';
import type { SpendLedger } from '@switchyard/tenancy';
import type { Hop } from './hop';

/**
 * What a worker notes beside a job just before it calls a provider. A worker killed mid-call
 * leaves it behind; the job's next run (after BullMQ finds the item stalled) turns it into a
 * `lost` attempt and charges its estimated cost, so the call is counted once its fate is known
 * (lost) even though its answer never is.
 */
export interface CallNote {
  /** The index the call's attempt takes in `attempts`: once one is there, the note is spent. */
  attempt: number;
  hop: number;
  entry: string;
  provider: string;
  model: string;
  started_at: number;
  /** Prompt tokens as estimated (about four characters a token). */
  input_tokens: number;
  /** The most it may write: its `max_tokens`, else what the adapter asks for, else an estimate. */
  output_tokens: number;
  /** The charge if the call is lost: an estimated upper bound; null when the model has no price. */
  cost_usd: number | null;
}

export function callNote(
  record: JobRecord,
  hop: Hop,
  request: ProviderRequest,
  now: number,
): CallNote {
  const input = estimatePromptTokens(request);
  const output =
    request.maxTokens ??
    (hop.target.provider === 'anthropic' ? ANTHROPIC_DEFAULT_MAX_TOKENS : DEFAULT_OUTPUT_ESTIMATE);
  return {
    attempt: record.attempts.length,
    hop: record.hop,
    entry: hop.entry,
    provider: hop.target.provider,
    model: hop.target.model,
    started_at: now,
    input_tokens: input,
    output_tokens: output,
    cost_usd: costUsd(hop.price, input, output),
  };
}

/** The attempt a lost call is recorded as. Its latency is how long it ran at most. */
export function lostAttempt(note: CallNote, now: number): Attempt {
  const charge =
    note.cost_usd === null ? 'nothing (the model has no price)' : `an estimated $${note.cost_usd}`;
  return {
    provider: note.provider,
    model: note.model,
    outcome: 'lost',
    status_code: null,
    latency_ms: Math.max(0, now - note.started_at),
    started_at: new Date(note.started_at).toISOString(),
    error:
      `the worker making this call stopped before its answer was recorded; charged ${charge}, ` +
      `an upper bound of ${note.input_tokens} prompt tokens (estimated) and ${note.output_tokens} ` +
      `output tokens`,
    retry_after_ms: null,
    estimated_cost_usd: note.cost_usd,
  };
}

/**
 * Adds the lost call to the job's attempts unless its own attempt (or this lost one) is there
 * already: a compare-and-set on the attempt count, so two recoveries cannot both count it. On a
 * running job it counts as a call on its model, toward that model's retries.
 */
export const recordLostCall =
  (note: CallNote, attempt: Attempt): JobMutation =>
  (job) => {
    if (job.attempts.length !== note.attempt) return undefined;
    const onHop = job.status === 'running' && job.hop === note.hop;
    return {
      ...job,
      attempts: [...job.attempts, attempt],
      hop_calls: onHop ? job.hop_calls + 1 : job.hop_calls,
    };
  };

/** Reads a note back; undefined for none or one that does not parse (nothing to count). */
export function parseCallNote(text: string | undefined): CallNote | undefined {
  if (!text) return undefined;
  try {
    const note = JSON.parse(text) as CallNote;
    return Number.isInteger(note.attempt) && typeof note.entry === 'string' ? note : undefined;
  } catch {
    return undefined;
  }
}

/** Counts the calls of workers that died mid-call (see CallNote). */
export class LostCalls {
  constructor(private readonly deps: { store: JobStore; spend: SpendLedger; logger: Logger }) {}

  /**
   * Before a call: the note, written before the request leaves. Answers whether someone listens
   * to the job's events (read in the same step, see JobStore.noteCall).
   */
  note(record: JobRecord, hop: Hop, request: ProviderRequest): Promise<{ listened: boolean }> {
    return this.deps.store.noteCall(
      record.id,
      JSON.stringify(callNote(record, hop, request, Date.now())),
    );
  }

  /**
   * After a stall: a call noted but never recorded becomes a `lost` attempt, charged its
   * estimate (after the attempt is written, so no recovery charges it twice). Returns the record
   * as it now stands.
   */
  async recover(record: JobRecord): Promise<JobRecord> {
    const note = parseCallNote(await this.deps.store.notedCall(record.id));
    if (!note || record.attempts.length !== note.attempt) return record;
    const now = Date.now();
    const attempt = lostAttempt(note, now);
    const saved = await this.deps.store.update(record.id, recordLostCall(note, attempt), record);
    if (!saved?.changed) return saved?.record ?? record;
    await this.deps.spend.record(
      record.tenant_id,
      {
        model: note.entry,
        // Its cost is a bound, its tokens unknown: usage counts only what providers reported.
        inputTokens: 0,
        outputTokens: 0,
        costUsd: note.cost_usd,
        cached: false,
        countsAsJob: false,
      },
      new Date(now),
    );
    this.deps.logger.warn(
      { jobId: record.id, provider: note.provider, model: note.model, costUsd: note.cost_usd },
      'lost call recorded',
    );
    return saved.record;
  }
}
