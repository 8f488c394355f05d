import type { Attempt, AttemptOutcome, JobOutput, ServedBy, Usage } from '@switchyard/core';
import type { JobRecord } from '@switchyard/queue';
import type { CallFailure, FailureKind, ProviderRequest } from '@switchyard/providers';

/** The provider-neutral request of a job for one model of its chain. */
export function providerRequest(record: JobRecord, model: string): ProviderRequest {
  const input = record.request.input;
  return {
    model,
    messages: input.messages,
    maxTokens: input.max_tokens,
    temperature: input.temperature,
    topP: input.top_p,
    stop: typeof input.stop === 'string' ? [input.stop] : input.stop,
  };
}

const OUTCOME: Record<FailureKind, AttemptOutcome> = {
  retryable: 'retryable_error',
  rate_limited: 'rate_limited',
  timeout: 'timeout',
  terminal: 'terminal_error',
  context_length: 'terminal_error',
  canceled: 'canceled',
};

/** A job's answer as its record keeps it. */
export interface Answer {
  servedBy: ServedBy;
  output: JobOutput;
  usage: Usage;
}

export interface CallTiming {
  provider: string;
  model: string;
  startedAt: number;
  endedAt: number;
}

export function succeededAttempt(timing: CallTiming, statusCode: number): Attempt {
  return {
    provider: timing.provider,
    model: timing.model,
    outcome: 'succeeded',
    status_code: statusCode,
    latency_ms: timing.endedAt - timing.startedAt,
    started_at: new Date(timing.startedAt).toISOString(),
    error: null,
    retry_after_ms: null,
  };
}

export function failedAttempt(timing: CallTiming, failure: CallFailure): Attempt {
  return {
    provider: timing.provider,
    model: timing.model,
    outcome: OUTCOME[failure.kind],
    status_code: failure.statusCode,
    latency_ms: timing.endedAt - timing.startedAt,
    started_at: new Date(timing.startedAt).toISOString(),
    error: failure.message,
    retry_after_ms: failure.retryAfterMs,
  };
}
