import type { JobError } from '@switchyard/core';
import type { CallFailure } from './types';

export interface RetrySettings {
  /** Calls per model, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What to do after a failed call. */
export type NextStep =
  | { action: 'retry'; delayMs: number }
  /** On to the next model of the chain, or to `toHop` (a model with a larger context window). */
  | { action: 'fallback'; toHop?: number }
  | { action: 'fail'; error: JobError };

export interface FailureContext {
  failure: CallFailure;
  /** Calls made to the current model, the failed one included. */
  callsOnHop: number;
  hasNextHop: boolean;
  /**
   * For a context-length failure: the next model of the chain whose window is larger than this
   * one's, if any (undefined when no later model is known to be larger).
   */
  largerWindowHop?: number;
  retry: RetrySettings;
  /** Uniform in [0, 1); injectable so tests are exact. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS's "full jitter": uniform in [0, cap]), which spreads
 * a burst of failures instead of retrying them in lockstep.
 */
export function backoffDelay(
  callsOnHop: number,
  retry: RetrySettings,
  random = Math.random,
): number {
  const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (callsOnHop - 1));
  return Math.floor(random() * cap);
}

/**
 * The retry and fallback policy. A provider's `Retry-After` is a floor: we never call before it
 * (plus up to 10% jitter so a herd told the same instant does not return together). A wait longer
 * than our longest backoff is better spent on the next model, when there is one.
 */
export function decideAfterFailure(context: FailureContext): NextStep {
  const { failure, callsOnHop, hasNextHop, retry } = context;
  const random = context.random ?? Math.random;
  switch (failure.kind) {
    case 'canceled':
      return { action: 'fail', error: { type: 'canceled', message: failure.message } };
    case 'terminal':
      // Never retried. A fault of the request itself (400, 413, 422) would fail anywhere; a
      // refusal by this provider (key, access, unknown model, quota) may not happen at the next.
      return failure.errorType === 'provider_error' && hasNextHop
        ? { action: 'fallback' }
        : { action: 'fail', error: { type: failure.errorType, message: failure.message } };
    case 'context_length':
      // The prompt fits nowhere smaller: only a model with a larger window is worth a call.
      return context.largerWindowHop !== undefined
        ? { action: 'fallback', toHop: context.largerWindowHop }
        : { action: 'fail', error: { type: 'invalid_request', message: failure.message } };
    case 'retryable':
    case 'rate_limited':
    case 'timeout':
      break;
  }
  const waitAsked = failure.retryAfterMs;
  const tooLong = waitAsked !== null && waitAsked > retry.maxDelayMs;
  if (callsOnHop < retry.maxAttempts && !(tooLong && hasNextHop)) {
    const delayMs =
      waitAsked !== null
        ? waitAsked + Math.floor(random() * Math.min(1_000, waitAsked * 0.1))
        : backoffDelay(callsOnHop, retry, random);
    return { action: 'retry', delayMs };
  }
  if (hasNextHop) return { action: 'fallback' };
  const type =
    failure.kind === 'rate_limited'
      ? 'rate_limited'
      : failure.kind === 'timeout'
        ? 'timeout'
        : 'provider_error';
  return {
    action: 'fail',
    error: { type, message: `gave up after ${callsOnHop} calls; last error: ${failure.message}` },
  };
}
