import type { CallFailure } from './types';
import { parseRetryAfter } from './retry-after';

/** What an adapter learnt from its SDK's error, in SDK-neutral terms. */
export interface FailureFacts {
  /** `http`: a response with a status; `timeout`; `connection` (refused, reset); `aborted`. */
  transport: 'http' | 'timeout' | 'connection' | 'aborted' | 'malformed';
  status?: number;
  headers?: Headers;
  message: string;
  /** Provider-specific meaning the status alone does not carry. */
  hint?: 'quota' | 'context_length';
  /** A `connection` failure before any answer on a reused keep-alive connection. */
  pooledConnection?: boolean;
}

/**
 * The error taxonomy shared by every adapter: which failures are worth another call, which
 * must wait, and which would only fail again.
 */
export function classifyFailure(facts: FailureFacts): CallFailure {
  const base = { message: facts.message, statusCode: facts.status ?? null, retryAfterMs: null };
  switch (facts.transport) {
    case 'aborted':
      return { ...base, kind: 'canceled', errorType: 'canceled' };
    case 'timeout':
      return { ...base, kind: 'timeout', errorType: 'timeout' };
    case 'connection':
      return {
        ...base,
        kind: 'retryable',
        errorType: 'provider_error',
        ...(facts.pooledConnection && { unattributed: true }),
      };
    case 'malformed':
      return { ...base, kind: 'retryable', errorType: 'provider_error' };
    case 'http':
      break;
  }
  const status = facts.status ?? 0;
  const retryAfterMs = parseRetryAfter(facts.headers);
  if (facts.hint === 'context_length') {
    return { ...base, kind: 'context_length', errorType: 'invalid_request' };
  }
  if (facts.hint === 'quota') {
    // A quota or billing refusal looks like a 429 but waiting does not help.
    return { ...base, kind: 'terminal', errorType: 'provider_error' };
  }
  if (status === 429)
    return { ...base, retryAfterMs, kind: 'rate_limited', errorType: 'rate_limited' };
  if (status === 408 || status === 409 || status >= 500) {
    return { ...base, retryAfterMs, kind: 'retryable', errorType: 'provider_error' };
  }
  // 400, 413 and 422 are the request's fault; 401, 403 and 404 are ours (key, access, model name).
  const clientFault = status === 400 || status === 413 || status === 422;
  return {
    ...base,
    kind: 'terminal',
    errorType: clientFault ? 'invalid_request' : 'provider_error',
  };
}
