import type { ModelPrice } from '@switchyard/config';
import { JobRequest } from '@switchyard/core';
import type { CallFailure, ProviderResponse } from '@switchyard/providers';
import { type JobRecord, newJobRecord } from '@switchyard/queue';
import type { CallOutcome } from '../src/call-step';
import { currentHop } from '../src/hop';
import type { CallTiming } from '../src/provider-call';
import { decide, REDIS_RETRY_MS, type RunEvent, type RunPolicy } from '../src/run-decision';

const MINI = 'openai/gpt-4o-mini';
const HAIKU = 'anthropic/claude-3-5-haiku-latest';
const LOCAL = 'local/llama3';

const price = (inputPerMillion: number, outputPerMillion: number, contextWindow?: number) =>
  ({
    inputPerMillion,
    outputPerMillion,
    contextWindow,
    limits: { windows: [] },
  }) as unknown as ModelPrice;

const policy = (overrides: Partial<RunPolicy> = {}): RunPolicy => ({
  settings: {
    retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000 },
    models: { [MINI]: price(0.15, 0.6, 128_000), [HAIKU]: price(0.8, 4, 200_000) },
  },
  providers: new Set(['openai', 'anthropic', 'local']),
  mayCallUnpriced: true,
  overBudget: undefined,
  random: () => 0.5,
  ...overrides,
});

/** A running job at `hop` of `chain`, with `hopCalls` calls made to it. */
function running(chain: string[], hop = 0, hopCalls = 0): JobRecord {
  const request = JobRequest.parse({
    model: chain[0],
    fallbacks: chain.slice(1),
    input: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 },
  });
  const record = newJobRecord({
    id: 'job_1',
    tenantId: 't1',
    request,
    chain,
    now: 0,
    deadlineAt: null,
  });
  return { ...record, status: 'running', started_at: 1, hop, hop_calls: hopCalls };
}

const CALL: CallTiming = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  startedAt: 1_000,
  endedAt: 1_250,
};

const failure = (overrides: Partial<CallFailure>): CallFailure => ({
  kind: 'retryable',
  statusCode: 503,
  message: 'overloaded',
  retryAfterMs: null,
  errorType: 'provider_error',
  ...overrides,
});

/** What trying the record's current hop came to. */
function tried(record: JobRecord, outcome: CallOutcome, p = policy()): RunEvent {
  return { kind: 'tried', hop: currentHop(record, p.settings), outcome };
}

const failed = (f: Partial<CallFailure>): CallOutcome => ({
  kind: 'failed',
  failure: failure(f),
  call: CALL,
});

describe('before a hop is tried', () => {
  test('a running job at a priced, configured hop: call it', () => {
    const record = running([MINI]);
    const action = decide(record, { kind: 'ready' }, policy());
    expect(action).toEqual({
      do: 'call',
      hop: {
        entry: MINI,
        target: { provider: 'openai', model: 'gpt-4o-mini' },
        price: policy().settings.models[MINI],
      },
    });
  });

  test('still queued after the claim: its deadline passed, it expires', () => {
    expect(decide({ ...running([MINI]), status: 'queued' }, { kind: 'ready' }, policy())).toEqual({
      do: 'expire',
    });
  });

  test('already ended (cancelled before the claim): nothing to do', () => {
    expect(decide({ ...running([MINI]), status: 'canceled' }, { kind: 'ready' }, policy())).toEqual(
      {
        do: 'nothing',
      },
    );
  });

  test('the budget is spent before the first call: fails as budget_exceeded', () => {
    const overBudget = { budgetUsd: 5, spentUsd: 5.00012 };
    expect(decide(running([MINI]), { kind: 'ready' }, policy({ overBudget }))).toEqual({
      do: 'fail',
      hop: undefined,
      attempt: undefined,
      error: {
        type: 'budget_exceeded',
        message: 'monthly budget of $5 is spent ($5.0001 this month)',
      },
    });
  });

  test('a provider this worker cannot call: fails as provider_error', () => {
    const action = decide(
      running([MINI]),
      { kind: 'ready' },
      policy({ providers: new Set(['anthropic']) }),
    );
    expect(action).toMatchObject({
      do: 'fail',
      error: {
        type: 'provider_error',
        message: 'provider "openai" is not configured on this worker',
      },
    });
  });

  test('an unpriced model is called when the tenant has no budget', () => {
    expect(decide(running([LOCAL]), { kind: 'ready' }, policy())).toMatchObject({ do: 'call' });
  });

  test('with a budget, an unpriced model is skipped for the next one', () => {
    const action = decide(
      running([LOCAL, MINI]),
      { kind: 'ready' },
      policy({ mayCallUnpriced: false }),
    );
    expect(action).toMatchObject({ do: 'move', toHop: 1, attempt: undefined, reason: 'unpriced' });
  });

  test('with a budget, an unpriced last model fails the job, naming it and how to price it', () => {
    const action = decide(
      running([MINI, LOCAL], 1),
      { kind: 'ready' },
      policy({ mayCallUnpriced: false }),
    );
    expect(action).toMatchObject({
      do: 'fail',
      attempt: undefined,
      error: { type: 'invalid_request' },
    });
    const message = action.do === 'fail' ? action.error.message : '';
    expect(message).toMatch(
      /^local\/llama3 has no price in the config and the tenant has a monthly budget/,
    );
    expect(message).toContain('input_per_million');
  });
});

describe('after a call', () => {
  const response: ProviderResponse = {
    text: 'hello',
    finishReason: 'stop',
    inputTokens: 1_000,
    outputTokens: 2_000,
    statusCode: 200,
    exhaustedForMs: 0,
  };

  test('success: the answer, its cost from the price table and the call as an attempt', () => {
    const record = running([MINI]);
    const action = decide(
      record,
      tried(record, { kind: 'answered', response, source: 'call', call: CALL }),
      policy(),
    );
    expect(action).toMatchObject({
      do: 'succeed',
      source: 'call',
      answer: {
        servedBy: { provider: 'openai', model: 'gpt-4o-mini' },
        output: { text: 'hello', finish_reason: 'stop' },
        usage: { input_tokens: 1_000, output_tokens: 2_000, cost_usd: 0.00135 },
      },
      attempt: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        outcome: 'succeeded',
        status_code: 200,
        latency_ms: 250,
        error: null,
        retry_after_ms: null,
      },
    });
  });

  test('an answer from the cache costs nothing and is no attempt', () => {
    const record = running([MINI]);
    const action = decide(
      record,
      tried(record, { kind: 'answered', response, source: 'cache', call: undefined }),
      policy(),
    );
    expect(action).toMatchObject({
      do: 'succeed',
      source: 'cache',
      attempt: undefined,
      answer: { usage: { cost_usd: 0 } },
    });
  });

  test('a retryable failure without Retry-After: retry after a jittered backoff', () => {
    const record = running([MINI], 0, 1);
    const action = decide(record, tried(record, failed({})), policy());
    // Second call on the hop: cap 1,000 ms, half of it with random 0.5.
    expect(action).toMatchObject({
      do: 'retry',
      delayMs: 500,
      attempt: { outcome: 'retryable_error', status_code: 503 },
    });
  });

  test('a retryable failure with Retry-After: never before it, plus at most 10% jitter', () => {
    const record = running([MINI]);
    const action = decide(record, tried(record, failed({ retryAfterMs: 2_000 })), policy());
    expect(action).toMatchObject({
      do: 'retry',
      delayMs: 2_100,
      attempt: { retry_after_ms: 2_000 },
    });
  });

  test('a 429 with Retry-After: retried not before it', () => {
    const record = running([MINI]);
    const limited = failed({
      kind: 'rate_limited',
      statusCode: 429,
      retryAfterMs: 3_000,
      errorType: 'rate_limited',
    });
    expect(decide(record, tried(record, limited), policy())).toMatchObject({
      do: 'retry',
      delayMs: 3_150,
      attempt: { outcome: 'rate_limited', status_code: 429, retry_after_ms: 3_000 },
    });
  });

  test('a 429 asking longer than the longest backoff moves on when there is a next model', () => {
    const record = running([MINI, HAIKU]);
    const limited = failed({
      kind: 'rate_limited',
      statusCode: 429,
      retryAfterMs: 60_000,
      errorType: 'rate_limited',
    });
    expect(decide(record, tried(record, limited), policy())).toMatchObject({
      do: 'move',
      toHop: 1,
      reason: 'failure',
      attempt: { outcome: 'rate_limited' },
    });
  });

  test('circuit open: straight on to the next model, no attempt', () => {
    const record = running([MINI, HAIKU]);
    expect(
      decide(record, tried(record, { kind: 'circuit_open', retryInMs: 30_000 }), policy()),
    ).toMatchObject({
      do: 'move',
      toHop: 1,
      attempt: undefined,
      reason: 'circuit_open',
    });
  });

  test('circuit open on the last model: fails, saying when it is tried again', () => {
    const record = running([MINI]);
    expect(
      decide(record, tried(record, { kind: 'circuit_open', retryInMs: 29_001 }), policy()),
    ).toEqual({
      do: 'fail',
      hop: currentHop(record, policy().settings),
      attempt: undefined,
      error: {
        type: 'provider_error',
        message: 'openai/gpt-4o-mini is failing (circuit open); it will be tried again in 30 s',
      },
    });
  });

  test('a fault of the request itself (400) fails at once, even with models left', () => {
    const record = running([MINI, HAIKU]);
    const bad = failed({
      kind: 'terminal',
      statusCode: 400,
      message: 'bad temperature',
      errorType: 'invalid_request',
    });
    expect(decide(record, tried(record, bad), policy())).toMatchObject({
      do: 'fail',
      error: { type: 'invalid_request', message: 'bad temperature' },
      attempt: { outcome: 'terminal_error', status_code: 400 },
    });
  });

  test("a provider's refusal (401, 404, quota) goes on to the next model", () => {
    const record = running([MINI, HAIKU]);
    const refused = failed({ kind: 'terminal', statusCode: 404, message: 'no such model' });
    expect(decide(record, tried(record, refused), policy())).toMatchObject({
      do: 'move',
      toHop: 1,
      reason: 'failure',
      attempt: { outcome: 'terminal_error', status_code: 404 },
    });
  });

  test('chain exhausted: the last call of the last model fails the job with its last error', () => {
    const record = running([MINI, HAIKU], 1, 2);
    expect(
      decide(record, tried(record, failed({ message: 'still overloaded' })), policy()),
    ).toMatchObject({
      do: 'fail',
      error: {
        type: 'provider_error',
        message: 'gave up after 3 calls; last error: still overloaded',
      },
      attempt: { outcome: 'retryable_error' },
    });
  });

  test('a timeout on the last call is a timeout error', () => {
    const record = running([MINI], 0, 2);
    const timeout = failed({
      kind: 'timeout',
      statusCode: null,
      message: 'attempt timed out after 60000 ms',
      errorType: 'timeout',
    });
    expect(decide(record, tried(record, timeout), policy())).toMatchObject({
      do: 'fail',
      error: { type: 'timeout' },
    });
  });

  test('a prompt too long goes to the next model with a larger window, or fails', () => {
    const record = running([MINI, HAIKU]);
    const tooLong = failed({
      kind: 'context_length',
      statusCode: 400,
      message: 'too long',
      errorType: 'invalid_request',
    });
    expect(decide(record, tried(record, tooLong), policy())).toMatchObject({
      do: 'move',
      toHop: 1,
    });
    const last = running([HAIKU]);
    expect(decide(last, tried(last, tooLong), policy())).toMatchObject({
      do: 'fail',
      error: { type: 'invalid_request' },
    });
  });

  test('cancelled mid-call (or its deadline passed): stop, keeping the call that was cut', () => {
    const record = running([MINI, HAIKU]);
    const cut = failed({
      kind: 'canceled',
      statusCode: null,
      message: 'canceled',
      errorType: 'canceled',
    });
    expect(decide(record, tried(record, cut), policy())).toMatchObject({
      do: 'stop',
      attempt: { outcome: 'canceled', status_code: null, latency_ms: 250 },
    });
  });

  test('the signal fired while waiting, before any call: stop with nothing to record', () => {
    const record = running([MINI]);
    expect(decide(record, tried(record, { kind: 'aborted' }), policy())).toMatchObject({
      do: 'stop',
      attempt: undefined,
    });
  });

  test('no slot soon, or Redis failing a step: back to the queue, nothing recorded', () => {
    const record = running([MINI]);
    expect(
      decide(record, tried(record, { kind: 'no_slot', waitMs: 4_200 }), policy()),
    ).toMatchObject({
      do: 'wait',
      delayMs: 4_200,
      reason: 'no_slot',
    });
    expect(decide(record, tried(record, { kind: 'redis_unavailable' }), policy())).toMatchObject({
      do: 'wait',
      delayMs: REDIS_RETRY_MS,
      reason: 'redis_unavailable',
    });
  });
});
