import { type MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { simulateCompletion, type Simulator, startSimulator } from '../src/index';
import { ANTHROPIC_KEY, anthropicClient, openaiClient, raw } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const model = 'claude-sonnet-test';
const userMessages = [{ role: 'user' as const, content: 'Name three colours.' }];
const normalised = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Name three colours.' },
];

describe('POST /v1/messages with the @anthropic-ai/sdk client', () => {
  it('answers with simulateCompletion text, the system prompt as a leading system message', async () => {
    const expected = simulateCompletion({ model, messages: normalised, maxTokens: 200 });
    const message = await anthropicClient(sim).messages.create({
      model,
      max_tokens: 200,
      system: 'You are terse.',
      messages: userMessages,
    });
    expect(message.id).toBe('msg_sim1');
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe(model);
    expect(message.content).toEqual([{ type: 'text', text: expected.text }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    expect(message.usage).toEqual({
      input_tokens: expected.inputTokens,
      output_tokens: expected.outputTokens,
    });
  });

  it('gives the same text as the OpenAI endpoint for the same conversation', async () => {
    const anthropic = await anthropicClient(sim).messages.create({
      model,
      max_tokens: 200,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Name three colours.' }] }],
    });
    const openai = await openaiClient(sim).chat.completions.create({
      model,
      max_tokens: 200,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Name three colours.' },
      ],
    });
    expect(anthropic.content).toEqual([{ type: 'text', text: openai.choices[0]?.message.content }]);
    expect(anthropic.usage.input_tokens).toBe(openai.usage?.prompt_tokens);
    expect(anthropic.usage.output_tokens).toBe(openai.usage?.completion_tokens);
  });

  it('cuts the answer at max_tokens with stop_reason max_tokens', async () => {
    const expected = simulateCompletion({ model, messages: normalised, maxTokens: 6 });
    const message = await anthropicClient(sim).messages.create({
      model,
      max_tokens: 6,
      system: 'You are terse.',
      messages: userMessages,
    });
    expect(message.content).toEqual([{ type: 'text', text: expected.text }]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(6);
  });

  it('streams with messages.stream(): text deltas add up, final usage matches', async () => {
    const expected = simulateCompletion({ model, messages: normalised, maxTokens: 500 });
    const stream = anthropicClient(sim).messages.stream({
      model,
      max_tokens: 500,
      system: 'You are terse.',
      messages: userMessages,
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe(expected.text);
    expect(final.content).toEqual([{ type: 'text', text: expected.text }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.input_tokens).toBe(expected.inputTokens);
    expect(final.usage.output_tokens).toBe(expected.outputTokens);
  });

  it('streams with create({ stream: true }) in the documented event order', async () => {
    const expected = simulateCompletion({ model, messages: normalised, maxTokens: 5 });
    const stream = await anthropicClient(sim).messages.create({
      model,
      max_tokens: 5,
      system: 'You are terse.',
      messages: userMessages,
      stream: true,
    });
    const events: MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array<string>(5).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message.usage.input_tokens).toBe(
      expected.inputTokens,
    );
    const text = events
      .map((e) =>
        e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : '',
      )
      .join('');
    expect(text).toBe(expected.text);
    const delta = events.find((e) => e.type === 'message_delta');
    expect(delta?.type === 'message_delta' && delta.delta.stop_reason).toBe('max_tokens');
    expect(delta?.type === 'message_delta' && delta.usage.output_tokens).toBe(5);
  });

  it('sends a ping after content_block_start on the wire', async () => {
    const response = await raw(`${sim.anthropicBaseUrl}/v1/messages`, {
      headers: { 'x-api-key': ANTHROPIC_KEY },
      body: { model, max_tokens: 2, messages: userMessages, stream: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const names = response.text
      .split('\n\n')
      .filter((e) => e !== '')
      .map((e) => e.split('\n')[0]);
    expect(names).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: ping',
      'event: content_block_delta',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ]);
  });

  it('accepts the key as x-api-key as well as Authorization: Bearer', async () => {
    const response = await raw(`${sim.anthropicBaseUrl}/v1/messages`, {
      headers: { 'x-api-key': 'key-abcd' },
      body: { model, max_tokens: 10, messages: userMessages },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toBe('req_sim1');
    expect(sim.calls()[0]?.apiKey).toBe('abcd');
  });

  it('answers 401 in Anthropic format without a key', async () => {
    const response = await raw(`${sim.anthropicBaseUrl}/v1/messages`, {
      headers: { 'x-api-key': '' },
      body: { model, max_tokens: 10, messages: userMessages },
    });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      type: 'error',
      error: {
        type: 'authentication_error',
        message: 'x-api-key header (or Authorization: Bearer) is required',
      },
    });
  });

  it('answers 400 in Anthropic format when max_tokens is missing or the body is unusable', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model, messages: userMessages }, 'max_tokens: Field required'],
      [
        { model, max_tokens: 0, messages: userMessages },
        'max_tokens: Input should be an integer >= 1',
      ],
      [{ max_tokens: 5, messages: userMessages }, 'model: Field required'],
      [{ model, max_tokens: 5, messages: [] }, 'messages: Input should be a non-empty list'],
      [
        { model, max_tokens: 5, messages: [{ role: 'system', content: 'x' }] },
        "messages.0.role: Input should be 'user' or 'assistant'",
      ],
    ];
    for (const [body, message] of cases) {
      const response = await raw(`${sim.anthropicBaseUrl}/v1/messages`, {
        headers: { 'x-api-key': ANTHROPIC_KEY },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message },
      });
    }
  });
});
