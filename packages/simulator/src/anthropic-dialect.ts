import { type IncomingHttpHeaders } from 'node:http';
import { anthropicError } from './anthropic-errors';
import { bearerToken, flattenContent, isRecord, optionalPositiveInt } from './content';
import { type Dialect, type ParsedRequest, type Reply } from './dialect';
import { anthropicRateLimitHeaders } from './rate-limit-headers';
import { type SimMessage } from './simulate-completion';

/** The Anthropic Messages wire format. */
export const anthropicDialect: Dialect = {
  provider: 'anthropic',
  requestIdHeader: 'request-id',
  apiKey,
  parse,
  body,
  frames,
  error: anthropicError,
  rateLimitHeaders: anthropicRateLimitHeaders,
};

const STOP_REASON = { stop: 'end_turn', length: 'max_tokens' } as const;

// Older SDKs send `x-api-key`; @anthropic-ai/sdk 1.x sends the key as `Authorization: Bearer`.
function apiKey(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key.trim() !== '') return key.trim();
  return bearerToken(headers);
}

function parse(body: unknown): ParsedRequest | string {
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  const { model, messages, system, stream, temperature } = body;
  if (typeof model !== 'string' || model === '') return 'model: Field required';
  if (body.max_tokens === undefined || body.max_tokens === null)
    return 'max_tokens: Field required';
  const maxTokens = optionalPositiveInt(body.max_tokens);
  if (maxTokens === 'invalid') return 'max_tokens: Input should be an integer >= 1';
  if (!Array.isArray(messages) || messages.length === 0) {
    return 'messages: Input should be a non-empty list';
  }
  const normalised: SimMessage[] = [];
  if (system !== undefined && system !== null) {
    const text = flattenContent(system, 'system');
    if (typeof text !== 'string') return text.error;
    normalised.push({ role: 'system', content: text });
  }
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    const content = flattenContent(message.content, `messages.${i}.content`);
    if (typeof content !== 'string') return content.error;
    normalised.push({ role: message.role, content });
  }
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || temperature < 0 || temperature > 1) {
      return 'temperature: Input should be a number between 0 and 1';
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return 'stream: Input should be a valid boolean';
  }
  return { model, messages: normalised, maxTokens, stream: stream === true, includeUsage: true };
}

function body(reply: Reply): string {
  const { completion: c } = reply;
  return JSON.stringify({
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [{ type: 'text', text: c.text }],
    stop_reason: STOP_REASON[c.finishReason],
    stop_sequence: null,
    usage: { input_tokens: c.inputTokens, output_tokens: c.outputTokens },
  });
}

function event(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function frames(reply: Reply, chunks: readonly string[]): string[] {
  const { completion: c } = reply;
  const first =
    event('message_start', {
      type: 'message_start',
      message: {
        id: reply.id,
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: c.inputTokens, output_tokens: 0 },
      },
    }) +
    event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }) +
    event('ping', { type: 'ping' });
  const deltaHead = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,';
  const out = chunks.map(
    (text) => `${deltaHead}"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`,
  );
  const last =
    event('content_block_stop', { type: 'content_block_stop', index: 0 }) +
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: STOP_REASON[c.finishReason], stop_sequence: null },
      usage: { output_tokens: c.outputTokens },
    }) +
    event('message_stop', { type: 'message_stop' });
  if (out.length === 0) return [first + last];
  out[0] = first + out[0];
  out[out.length - 1] += last;
  return out;
}
