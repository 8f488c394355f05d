import { countTokens, simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { OPENAI_KEY, openaiClient, raw } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Name three colours.' },
];

describe('POST /v1/chat/completions with the openai SDK', () => {
  it('answers with simulateCompletion text and exact usage', async () => {
    const expected = simulateCompletion({ model: 'gpt-4o', messages });
    const result = await openaiClient(sim).chat.completions.create({ model: 'gpt-4o', messages });
    expect(result.object).toBe('chat.completion');
    expect(result.id).toBe('chatcmpl-sim1');
    expect(result.model).toBe('gpt-4o');
    expect(result.choices).toHaveLength(1);
    expect(result.choices[0]?.message.role).toBe('assistant');
    expect(result.choices[0]?.message.content).toBe(expected.text);
    expect(result.choices[0]?.finish_reason).toBe('stop');
    expect(result.usage).toEqual({
      prompt_tokens: expected.inputTokens,
      completion_tokens: expected.outputTokens,
      total_tokens: expected.inputTokens + expected.outputTokens,
    });
  });

  it('flattens content parts with newlines and treats developer as system', async () => {
    const result = await openaiClient(sim).chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Name three' },
            { type: 'text', text: 'colours.' },
          ],
        },
      ],
    });
    const expected = simulateCompletion({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Name three\ncolours.' },
      ],
    });
    expect(result.choices[0]?.message.content).toBe(expected.text);
    expect(result.usage?.prompt_tokens).toBe(expected.inputTokens);
  });

  it.each([['max_tokens'], ['max_completion_tokens']] as const)(
    'cuts the answer at %s with finish_reason length',
    async (field) => {
      const expected = simulateCompletion({ model: 'gpt-4o', messages, maxTokens: 4 });
      expect(expected.finishReason).toBe('length');
      const result = await openaiClient(sim).chat.completions.create({
        model: 'gpt-4o',
        messages,
        [field]: 4,
      });
      expect(result.choices[0]?.message.content).toBe(expected.text);
      expect(countTokens(result.choices[0]?.message.content ?? '')).toBe(4);
      expect(result.choices[0]?.finish_reason).toBe('length');
      expect(result.usage?.completion_tokens).toBe(4);
    },
  );

  it('streams deltas that add up to the answer, then usage, with include_usage', async () => {
    const expected = simulateCompletion({ model: 'gpt-4o', messages });
    const stream = await openaiClient(sim).chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(expected.text);
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '');
    expect(contentChunks).toHaveLength(expected.outputTokens);
    const finishing = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishing.map((c) => c.choices[0]?.finish_reason)).toEqual(['stop']);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: expected.inputTokens,
      completion_tokens: expected.outputTokens,
      total_tokens: expected.inputTokens + expected.outputTokens,
    });
    expect(
      chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-sim1'),
    ).toBe(true);
  });

  it('streams without a usage chunk when include_usage is not asked for, and stops at max_tokens', async () => {
    const expected = simulateCompletion({ model: 'gpt-4o', messages, maxTokens: 3 });
    const stream = await openaiClient(sim).chat.completions.create({
      model: 'gpt-4o',
      messages,
      max_tokens: 3,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(expected.text);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('length');
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it('uses the exact SSE wire format', async () => {
    const response = await raw(`${sim.openaiBaseUrl}/chat/completions`, {
      headers: { authorization: `Bearer ${OPENAI_KEY}` },
      body: { model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = response.text.split('\n\n');
    expect(events.pop()).toBe('');
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const first = JSON.parse(events[0]!.slice(6)) as {
      choices: Array<{ delta: unknown }>;
      usage: unknown;
    };
    expect(first.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(first.usage).toBeNull();
  });

  it('answers 401 in OpenAI format without a bearer key', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer ' },
      { authorization: 'Basic abc' },
    ];
    for (const headers of variants) {
      const response = await raw(`${sim.openaiBaseUrl}/chat/completions`, {
        headers,
        body: { model: 'gpt-4o', messages },
      });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({
        error: {
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    }
    expect(sim.calls().map((c) => [c.status, c.apiKey])).toEqual([
      [401, ''],
      [401, ''],
      [401, ''],
    ]);
  });

  it('answers 400 in OpenAI format for bodies it cannot use', async () => {
    const auth = { authorization: `Bearer ${OPENAI_KEY}` };
    const cases: Array<[unknown, string]> = [
      ['{not json', 'We could not parse the JSON body of your request.'],
      [{ messages }, 'you must provide a model parameter'],
      [{ model: 'gpt-4o', messages: [] }, "Invalid 'messages': expected a non-empty array."],
      [
        { model: 'gpt-4o', messages, max_tokens: 0 },
        "Invalid 'max_tokens': expected an integer >= 1.",
      ],
      [
        { model: 'gpt-4o', messages, temperature: 3 },
        "Invalid 'temperature': expected a number between 0 and 2.",
      ],
    ];
    for (const [body, message] of cases) {
      const response = await raw(`${sim.openaiBaseUrl}/chat/completions`, { headers: auth, body });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: { message, type: 'invalid_request_error', param: null, code: null },
      });
    }
  });
});
