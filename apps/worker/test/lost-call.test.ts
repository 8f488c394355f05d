import type { ModelPrice } from '@switchyard/config';
import { JobRequest } from '@switchyard/core';
import { type JobRecord, newJobRecord } from '@switchyard/queue';
import { currentHop } from '../src/hop';
import { callNote, lostAttempt, parseCallNote, recordLostCall } from '../src/lost-call';
import { providerRequest } from '../src/provider-call';

const models = {
  'openai/gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } as ModelPrice,
  'anthropic/claude-3-5-haiku-latest': { inputPerMillion: 0.8, outputPerMillion: 4 } as ModelPrice,
};

function running(model: string, maxTokens?: number): JobRecord {
  const request = JobRequest.parse({
    model,
    input: { messages: [{ role: 'user', content: 'x'.repeat(36) }], max_tokens: maxTokens },
  });
  const record = newJobRecord({
    id: 'job_1',
    tenantId: 't1',
    request,
    chain: [model],
    now: 0,
    deadlineAt: null,
  });
  return { ...record, status: 'running', started_at: 1 };
}

function noteFor(record: JobRecord, now = 10_000) {
  const hop = currentHop(record, { models });
  return callNote(record, hop, providerRequest(record, hop.target.model), now);
}

test('a note bounds the call: prompt tokens estimated, output at max_tokens, at the price', () => {
  expect(noteFor(running('openai/gpt-4o-mini', 100))).toEqual({
    attempt: 0,
    hop: 0,
    entry: 'openai/gpt-4o-mini',
    provider: 'openai',
    model: 'gpt-4o-mini',
    started_at: 10_000,
    input_tokens: 10, // (36 characters + 4) / 4
    output_tokens: 100,
    cost_usd: 0.0000615, // (10 × 0.15 + 100 × 0.6) / 1e6
  });
});

test("without max_tokens, the output bound is what the adapter asks for (Anthropic's 4,096)", () => {
  const note = noteFor(running('anthropic/claude-3-5-haiku-latest'));
  expect([note.output_tokens, note.cost_usd]).toEqual([4_096, 0.016392]);
});

test('an unpriced model notes no cost', () => {
  expect(noteFor(running('openai/gpt-unpriced')).cost_usd).toBeNull();
});

test('the lost attempt says what was charged and keeps the bound', () => {
  const note = noteFor(running('openai/gpt-4o-mini', 100));
  expect(lostAttempt(note, 12_500)).toEqual({
    provider: 'openai',
    model: 'gpt-4o-mini',
    outcome: 'lost',
    status_code: null,
    latency_ms: 2_500,
    started_at: '1970-01-01T00:00:10.000Z',
    error:
      'the worker making this call stopped before its answer was recorded; charged an estimated ' +
      '$0.0000615, an upper bound of 10 prompt tokens (estimated) and 100 output tokens',
    retry_after_ms: null,
    estimated_cost_usd: 0.0000615,
  });
});

test('recorded once: only while no attempt took its place, counting as a call on its model', () => {
  const record = running('openai/gpt-4o-mini', 100);
  const note = noteFor(record);
  const attempt = lostAttempt(note, 12_500);
  const recorded = recordLostCall(note, attempt)(record)!;
  expect([recorded.attempts, recorded.hop_calls]).toEqual([[attempt], 1]);
  // Its own attempt was written (the worker lived), or the lost one already was: no change.
  expect(recordLostCall(note, attempt)(recorded)).toBeUndefined();
  // A job cancelled meanwhile keeps the call, without a retry count.
  const canceled = recordLostCall(note, attempt)({ ...record, status: 'canceled' })!;
  expect([canceled.attempts, canceled.hop_calls]).toEqual([[attempt], 0]);
});

test('a note that does not parse counts nothing', () => {
  expect(parseCallNote(undefined)).toBeUndefined();
  expect(parseCallNote('{not json')).toBeUndefined();
  expect(parseCallNote('{"attempt":"0"}')).toBeUndefined();
});
