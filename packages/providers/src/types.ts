import type { FinishReason, JobErrorType, Message } from '@switchyard/core';

/** A chat call in provider-neutral terms; adapters map it to their wire format. */
export interface ProviderRequest {
  /** The model's name at the provider (the part after `provider/`). */
  model: string;
  messages: Message[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

export interface ProviderResponse {
  text: string;
  finishReason: FinishReason;
  inputTokens: number;
  outputTokens: number;
  statusCode: number;
  /** How long the provider's headers say this key and model have no budget left (0: fine). */
  exhaustedForMs: number;
}

export interface CallOptions {
  /** Aborts the HTTP call itself (a cancelled job stops its provider call, not only a flag). */
  signal: AbortSignal;
  /** Per-attempt timeout in milliseconds; it covers the whole stream, not only its first byte. */
  timeoutMs: number;
  /**
   * Streams the answer: the call goes through the provider's streaming API and each text chunk
   * is handed here as it arrives (empty chunks are skipped), so a listener sees the answer grow
   * instead of waiting for all of it. The call still resolves with the whole ProviderResponse
   * (the chunks joined, the usage the stream reported). Absent, the call is not streamed.
   * Chunks already delivered stay delivered when the call then fails: a retry starts over.
   * Must not throw; a throw ends the call as a retryable failure.
   */
  onDelta?: (text: string) => void;
}

/**
 * One provider behind the SDK that speaks its protocol. An adapter builds the request, parses
 * the response and classifies every failure (it throws only ProviderCallError).
 */
export interface ProviderAdapter {
  /** The provider's name in the config (`openai`, `anthropic`, `local`, …). */
  readonly name: string;
  /** Streams when `options.onDelta` is given; the result and the failures are the same either way. */
  complete(request: ProviderRequest, options: CallOptions): Promise<ProviderResponse>;
}

/**
 * What a failed call means for the job:
 * - `retryable`: try the same model again after a backoff (5xx, 529, 408, 409, resets, bad bodies);
 * - `rate_limited`: a rate-limit 429; try again, not before `retryAfterMs`;
 * - `timeout`: the per-attempt timeout fired; retryable;
 * - `terminal`: the request itself is wrong or refused (400, 401, 403, 404, 413, quota); never retried;
 * - `context_length`: the prompt does not fit the model's window;
 * - `canceled`: the job was cancelled while the call ran.
 */
export type FailureKind =
  'retryable' | 'rate_limited' | 'timeout' | 'terminal' | 'context_length' | 'canceled';

export interface CallFailure {
  kind: FailureKind;
  /** HTTP status, or null when no response came (reset, timeout, abort). */
  statusCode: number | null;
  message: string;
  /** The provider's own wait (`retry-after-ms` / `retry-after`), when it gave one. */
  retryAfterMs: number | null;
  /** For terminal failures: how the job's error is typed. */
  errorType: JobErrorType;
  /**
   * Set when the failure says nothing sure about the provider's health: a connection failure
   * before any answer on a reused keep-alive connection, which the provider may have closed
   * before the request got there (see PooledConnectionError). It is retried like any
   * `retryable` failure (the retry goes out on a fresh connection) but is not held against the
   * provider's circuit.
   */
  unattributed?: true;
}

/** The only error an adapter throws. */
export class ProviderCallError extends Error {
  constructor(readonly failure: CallFailure) {
    super(failure.message);
    this.name = 'ProviderCallError';
  }
}
