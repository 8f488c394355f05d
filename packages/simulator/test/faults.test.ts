import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { type FaultKind, simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { anthropicClient, failure, openaiClient } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.configure({ faults: null, contextWindow: null, models: null, seed: null });
});

const model = 'gpt-4o';
const hello = [{ role: 'user' as const, content: 'Hello' }];

function openaiBody(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): [number, unknown] {
  return [status, { message, type, param, code }];
}

// Exact bodies per fault kind for a request from key ...1234 with input 4 tokens, no max_tokens.
const OPENAI_FAULTS: Array<[FaultKind, number, unknown]> = [
  [
    '500',
    ...openaiBody(
      500,
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
    ),
  ],
  ['502', ...openaiBody(502, 'Bad gateway.', 'server_error', null)],
  ['503', ...openaiBody(503, 'The server is overloaded or not ready yet.', 'server_error', null)],
  ['529', ...openaiBody(529, 'Overloaded', 'server_error', null)],
  [
    '429',
    ...openaiBody(
      429,
      'Rate limit reached for gpt-4o (simulated fault).',
      'requests',
      'rate_limit_exceeded',
    ),
  ],
  [
    'insufficient_quota',
    ...openaiBody(
      429,
      'You exceeded your current quota, please check your plan and billing details.',
      'insufficient_quota',
      'insufficient_quota',
    ),
  ],
  ['400', ...openaiBody(400, 'Invalid request (simulated fault).', 'invalid_request_error', null)],
  [
    '401',
    ...openaiBody(
      401,
      'Incorrect API key provided: ...1234.',
      'invalid_request_error',
      'invalid_api_key',
    ),
  ],
  [
    '403',
    ...openaiBody(
      403,
      'You are not allowed to access this resource (simulated fault).',
      'invalid_request_error',
      'permission_denied',
    ),
  ],
  [
    '404',
    ...openaiBody(
      404,
      'The model `gpt-4o` does not exist or you do not have access to it.',
      'invalid_request_error',
      'model_not_found',
    ),
  ],
  [
    '413',
    ...openaiBody(
      413,
      'Request too large (simulated fault).',
      'invalid_request_error',
      'request_too_large',
    ),
  ],
  [
    'context_length',
    ...openaiBody(
      400,
      "This model's maximum context length is 3 tokens. However, you requested 4 tokens. Please reduce the length of the messages or completion.",
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    ),
  ],
];

const ANTHROPIC_FAULTS: Array<[FaultKind, number, string, string]> = [
  ['500', 500, 'api_error', 'Internal server error'],
  ['502', 502, 'api_error', 'Bad gateway'],
  ['503', 503, 'api_error', 'Service unavailable'],
  ['529', 529, 'overloaded_error', 'Overloaded'],
  ['429', 429, 'rate_limit_error', 'This request would exceed the rate limit (simulated fault).'],
  [
    'insufficient_quota',
    400,
    'invalid_request_error',
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  ],
  ['400', 400, 'invalid_request_error', 'Invalid request (simulated fault).'],
  ['401', 401, 'authentication_error', 'invalid x-api-key'],
  [
    '403',
    403,
    'permission_error',
    'Your API key does not have permission to use the specified resource.',
  ],
  ['404', 404, 'not_found_error', 'model: claude-test'],
  ['413', 413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  // input 4 tokens + max_tokens 10
  ['context_length', 400, 'invalid_request_error', 'prompt is too long: 14 tokens > 13 maximum'],
];

describe('faults by x-simulator-fault header', () => {
  it.each(OPENAI_FAULTS)('OpenAI %s', async (kind, status, error) => {
    const err = await failure(
      openaiClient(sim).chat.completions.create(
        { model, messages: hello },
        { headers: { 'x-simulator-fault': kind } },
      ),
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.error).toEqual(error);
    expect(apiError.headers?.get('retry-after')).toBe(kind === '429' ? '1' : null);
    expect(sim.calls()).toEqual([
      expect.objectContaining({ provider: 'openai', status, fault: kind, outputTokens: 0 }),
    ]);
  });

  it.each(ANTHROPIC_FAULTS)('Anthropic %s', async (kind, status, type, message) => {
    const err = await failure(
      anthropicClient(sim).messages.create(
        { model: 'claude-test', max_tokens: 10, messages: hello },
        { headers: { 'x-simulator-fault': kind } },
      ),
    );
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const apiError = err as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.error).toEqual({ type: 'error', error: { type, message } });
    expect(apiError.type).toBe(type);
    expect(sim.calls()).toEqual([
      expect.objectContaining({ provider: 'anthropic', status, fault: kind }),
    ]);
  });

  it('maps statuses onto the SDKs’ error classes', async () => {
    const classes: Array<[FaultKind, unknown, unknown]> = [
      ['429', OpenAI.RateLimitError, Anthropic.RateLimitError],
      ['401', OpenAI.AuthenticationError, Anthropic.AuthenticationError],
      ['529', OpenAI.InternalServerError, Anthropic.InternalServerError],
      ['context_length', OpenAI.BadRequestError, Anthropic.BadRequestError],
    ];
    for (const [kind, openaiClass, anthropicClass] of classes) {
      const headers = { 'x-simulator-fault': kind };
      await expect(
        openaiClient(sim).chat.completions.create({ model, messages: hello }, { headers }),
      ).rejects.toBeInstanceOf(openaiClass as typeof Error);
      await expect(
        anthropicClient(sim).messages.create(
          { model, max_tokens: 5, messages: hello },
          { headers },
        ),
      ).rejects.toBeInstanceOf(anthropicClass as typeof Error);
    }
  });

  it('sends retry-after rounded up and retry-after-ms exact from x-simulator-retry-after', async () => {
    for (const kind of ['429', '503', '529'] as const) {
      const err = (await failure(
        openaiClient(sim).chat.completions.create(
          { model, messages: hello },
          { headers: { 'x-simulator-fault': kind, 'x-simulator-retry-after': '2.25' } },
        ),
      )) as InstanceType<typeof OpenAI.APIError>;
      expect(err.headers?.get('retry-after')).toBe('3');
      expect(err.headers?.get('retry-after-ms')).toBe('2250');
    }
  });

  it('answers 400 for an unknown fault kind', async () => {
    const err = (await failure(
      openaiClient(sim).chat.completions.create(
        { model, messages: hello },
        { headers: { 'x-simulator-fault': 'explode' } },
      ),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect((err.error as { message: string }).message).toMatch(
      /^x-simulator-fault: unknown fault "explode" \(one of 500, 502, /,
    );
  });
});

describe('faults by [[sim: …]] prompt directive', () => {
  // Same bodies as by header; the directive is stripped, so the input is still "Hello" (4 tokens).
  it.each(OPENAI_FAULTS)('OpenAI %s', async (kind, status, error) => {
    const err = (await failure(
      openaiClient(sim).chat.completions.create({
        model,
        messages: [{ role: 'user', content: `Hello [[sim: fault=${kind}]]` }],
      }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect([err.status, err.error]).toEqual([status, error]);
    expect(sim.calls()[0]?.fault).toBe(kind);
  });

  it.each(ANTHROPIC_FAULTS)('Anthropic %s', async (kind, status, type, message) => {
    const err = (await failure(
      anthropicClient(sim).messages.create({
        model: 'claude-test',
        max_tokens: 10,
        messages: [{ role: 'user', content: `Hello [[sim: fault=${kind}]]` }],
      }),
    )) as InstanceType<typeof Anthropic.APIError>;
    expect([err.status, err.error]).toEqual([status, { type: 'error', error: { type, message } }]);
  });

  it('model= limits the fault to requests for that model', async () => {
    const content = 'Hello [[sim: fault=500 model=gpt-only]]';
    const err = (await failure(
      openaiClient(sim).chat.completions.create({
        model: 'gpt-only',
        messages: [{ role: 'user', content }],
      }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(500);
    const other = await openaiClient(sim).chat.completions.create({
      model: 'other-model',
      messages: [{ role: 'user', content }],
    });
    expect(other.choices[0]?.message.content).toBe(
      simulateCompletion({ model: 'other-model', messages: [{ role: 'user', content: 'Hello' }] })
        .text,
    );
    expect(sim.calls().map((call) => [call.model, call.status])).toEqual([
      ['gpt-only', 500],
      ['other-model', 200],
    ]);
  });

  it.each([['hang'], ['reset'], ['malformed']])('%s on both endpoints', async (kind) => {
    const messages = [{ role: 'user' as const, content: `Hello [[sim: fault=${kind}]]` }];
    const openaiErr = await failure(
      openaiClient(sim, { timeout: 300 }).chat.completions.create({ model, messages }),
    );
    const anthropicErr = await failure(
      anthropicClient(sim, { timeout: 300 }).messages.create({ model, max_tokens: 10, messages }),
    );
    if (kind === 'malformed') {
      expect([(openaiErr as Error).name, (anthropicErr as Error).name]).toEqual([
        'SyntaxError',
        'SyntaxError',
      ]);
    } else {
      expect(openaiErr).toBeInstanceOf(
        kind === 'hang' ? OpenAI.APIConnectionTimeoutError : OpenAI.APIConnectionError,
      );
      expect(anthropicErr).toBeInstanceOf(
        kind === 'hang' ? Anthropic.APIConnectionTimeoutError : Anthropic.APIConnectionError,
      );
    }
    const status = kind === 'malformed' ? 200 : kind;
    expect(sim.calls().map((c) => [c.provider, c.status, c.fault])).toEqual([
      ['openai', status, kind],
      ['anthropic', status, kind],
    ]);
  });

  it('applies times=1 once, then the same request succeeds with the undirected answer', async () => {
    const content = 'Summarise the report [[sim: fault=503 times=1 retry_after=0.5]]';
    const messages = [{ role: 'user' as const, content }];
    const first = (await failure(
      openaiClient(sim).chat.completions.create({ model, messages }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(first.status).toBe(503);
    expect(first.headers?.get('retry-after')).toBe('1');
    expect(first.headers?.get('retry-after-ms')).toBe('500');

    const second = await openaiClient(sim).chat.completions.create({ model, messages });
    const expected = simulateCompletion({
      model,
      messages: [{ role: 'user', content: 'Summarise the report' }],
    });
    expect(second.choices[0]?.message.content).toBe(expected.text);
    expect(second.usage?.prompt_tokens).toBe(expected.inputTokens);

    const calls = sim.calls();
    expect(calls.map((c) => [c.status, c.fault])).toEqual([
      [503, '503'],
      [200, null],
    ]);
    expect(calls[0]?.requestHash).toBe(calls[1]?.requestHash);
  });

  it('counts times per request: times=2 fails twice; another prompt has its own count', async () => {
    const a = [{ role: 'user' as const, content: 'A [[sim: fault=500 times=2]]' }];
    const b = [{ role: 'user' as const, content: 'B [[sim: fault=500 times=2]]' }];
    const statuses: Array<number | undefined> = [];
    for (const messages of [a, b, a, a, b, b]) {
      try {
        await openaiClient(sim).chat.completions.create({ model, messages });
        statuses.push(200);
      } catch (err) {
        statuses.push((err as InstanceType<typeof OpenAI.APIError>).status);
      }
    }
    expect(statuses).toEqual([500, 500, 500, 200, 500, 200]);
  });

  it('applies a directive without times on every call, on the Anthropic endpoint too', async () => {
    const messages = [{ role: 'user' as const, content: '[[sim: fault=529]] hi' }];
    for (let i = 0; i < 3; i++) {
      const err = (await failure(
        anthropicClient(sim).messages.create({ model, max_tokens: 10, messages }),
      )) as InstanceType<typeof Anthropic.APIError>;
      expect(err.status).toBe(529);
      expect(err.error).toEqual({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      });
    }
  });

  it('reads directives in the Anthropic system prompt', async () => {
    const err = (await failure(
      anthropicClient(sim).messages.create({
        model,
        max_tokens: 10,
        system: 'Be kind. [[sim: fault=insufficient_quota]]',
        messages: hello,
      }),
    )) as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request_error');
  });

  it('lets the header override the directive', async () => {
    const err = (await failure(
      openaiClient(sim).chat.completions.create(
        { model, messages: [{ role: 'user', content: 'x [[sim: fault=500]]' }] },
        { headers: { 'x-simulator-fault': '502' } },
      ),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(502);
  });

  it('delays the answer by latency=<ms> without changing it', async () => {
    const started = Date.now();
    const result = await openaiClient(sim).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Hello [[sim: latency=120]]' }],
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect(result.choices[0]?.message.content).toBe(
      simulateCompletion({ model, messages: hello }).text,
    );
  });

  it('answers 400 for a malformed directive', async () => {
    const err = (await failure(
      openaiClient(sim).chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'x [[sim: fault=500 times=zero]]' }],
      }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect((err.error as { message: string }).message).toBe(
      'invalid [[sim: …]] directive: times must be a positive integer',
    );
  });
});

describe('connection-level faults', () => {
  it('hang: reads the request, never answers; the client times out', async () => {
    const err = await failure(
      openaiClient(sim, { timeout: 300 }).chat.completions.create(
        { model, messages: hello },
        { headers: { 'x-simulator-fault': 'hang' } },
      ),
    );
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(sim.calls().map((c) => [c.status, c.fault])).toEqual([['hang', 'hang']]);
  });

  it('reset: destroys the socket; both SDKs raise APIConnectionError', async () => {
    const headers = { 'x-simulator-fault': 'reset' };
    const openaiErr = await failure(
      openaiClient(sim).chat.completions.create({ model, messages: hello }, { headers }),
    );
    expect(openaiErr).toBeInstanceOf(OpenAI.APIConnectionError);
    const anthropicErr = await failure(
      anthropicClient(sim).messages.create({ model, max_tokens: 5, messages: hello }, { headers }),
    );
    expect(anthropicErr).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(sim.calls().map((c) => c.status)).toEqual(['reset', 'reset']);
  });

  it('malformed: 200 with application/json and a truncated body', async () => {
    const headers = { 'x-simulator-fault': 'malformed' };
    const response = await fetch(`${sim.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: hello }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(text.startsWith('{"id":"chatcmpl-sim1","object":"chat.completion"')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);

    // The SDKs surface the native JSON parser's SyntaxError (from another realm under jest).
    const openaiErr = await failure(
      openaiClient(sim).chat.completions.create({ model, messages: hello }, { headers }),
    );
    expect((openaiErr as Error).name).toBe('SyntaxError');
    const anthropicErr = await failure(
      anthropicClient(sim).messages.create({ model, max_tokens: 5, messages: hello }, { headers }),
    );
    expect((anthropicErr as Error).name).toBe('SyntaxError');
  });

  it('malformed while streaming: the first event carries truncated JSON, and iteration throws', async () => {
    const stream = await openaiClient(sim).chat.completions.create(
      { model, messages: hello, stream: true },
      { headers: { 'x-simulator-fault': 'malformed' } },
    );
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // draining is the point
      }
    };
    expect(((await failure(consume())) as Error).name).toBe('SyntaxError');
  });
});

describe('faults by rate', () => {
  it('fails every request at rate 1.0', async () => {
    sim.configure({ faults: { '500': 1 }, seed: 7 });
    for (let i = 0; i < 5; i++) {
      const err = (await failure(
        openaiClient(sim).chat.completions.create({ model, messages: hello }),
      )) as InstanceType<typeof OpenAI.APIError>;
      expect(err.status).toBe(500);
    }
    expect(sim.stats().byFault).toEqual({ '500': 5 });
    expect(sim.stats().byStatus).toEqual({ '500': 5 });
  });

  it('repeats the same sequence of faults for the same seed', async () => {
    sim.configure({ faults: { '503': 0.5, '529': 0.2 }, seed: 12345 });
    const run = async (): Promise<Array<number | undefined>> => {
      const statuses: Array<number | undefined> = [];
      for (let i = 0; i < 30; i++) {
        try {
          await openaiClient(sim).chat.completions.create({ model, messages: hello });
          statuses.push(200);
        } catch (err) {
          statuses.push((err as InstanceType<typeof OpenAI.APIError>).status);
        }
      }
      return statuses;
    };
    const first = await run();
    sim.reset();
    const second = await run();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503, 529]));
  });
});

describe('contextWindow and models options', () => {
  it('rejects input + max_tokens above contextWindow with each provider’s context error', async () => {
    sim.configure({ contextWindow: 20 });
    const messages = [{ role: 'user' as const, content: 'one two three four five six' }];
    // 6 + 3 = 9 input tokens; +10 fits, +12 does not
    await openaiClient(sim).chat.completions.create({ model, messages, max_tokens: 11 });
    const openaiErr = (await failure(
      openaiClient(sim).chat.completions.create({ model, messages, max_tokens: 12 }),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(openaiErr.status).toBe(400);
    expect(openaiErr.error).toEqual({
      message:
        "This model's maximum context length is 20 tokens. However, you requested 21 tokens. Please reduce the length of the messages or completion.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    const anthropicErr = (await failure(
      anthropicClient(sim).messages.create({ model, max_tokens: 12, messages }),
    )) as InstanceType<typeof Anthropic.APIError>;
    expect(anthropicErr.status).toBe(400);
    expect(anthropicErr.error).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'prompt is too long: 21 tokens > 20 maximum',
      },
    });
    expect(sim.calls().map((c) => c.fault)).toEqual([null, 'context_length', 'context_length']);
  });

  it('answers 404 model-not-found for models outside the list', async () => {
    sim.configure({ models: ['gpt-4o'] });
    await openaiClient(sim).chat.completions.create({ model: 'gpt-4o', messages: hello });
    const err = await failure(
      openaiClient(sim).chat.completions.create({ model: 'gpt-5-imaginary', messages: hello }),
    );
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).error).toEqual({
      message: 'The model `gpt-5-imaginary` does not exist or you do not have access to it.',
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
    const anthropicErr = await failure(
      anthropicClient(sim).messages.create({
        model: 'claude-nope',
        max_tokens: 5,
        messages: hello,
      }),
    );
    expect(anthropicErr).toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe('close()', () => {
  it('resolves while a request hangs and a slow request waits, and drops both', async () => {
    const own = await startSimulator({ port: 0, latency: { kind: 'fixed', ms: 60_000 } });
    const hanging = failure(
      fetch(`${own.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'x-simulator-fault': 'hang' },
        body: JSON.stringify({ model, messages: hello }),
      }),
    );
    const slow = failure(
      fetch(`${own.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: JSON.stringify({ model, messages: hello }),
      }),
    );
    while (own.calls().length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(own.stats().inFlight).toBe(2);
    await own.close();
    // fetch reports a dropped connection as TypeError('fetch failed').
    expect(((await hanging) as Error).name).toBe('TypeError');
    expect(((await slow) as Error).name).toBe('TypeError');
    expect(own.stats().inFlight).toBe(0);
  });
});
