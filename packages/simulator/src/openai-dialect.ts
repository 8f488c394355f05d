import { bearerToken, flattenContent, isRecord, optionalPositiveInt } from './content';
import { type Dialect, type ParsedRequest, type Reply } from './dialect';
import { openaiError } from './openai-errors';
import { openaiRateLimitHeaders } from './rate-limit-headers';
import { type SimMessage } from './simulate-completion';

/** The OpenAI Chat Completions wire format. */
export const openaiDialect: Dialect = {
  provider: 'openai',
  requestIdHeader: 'x-request-id',
  apiKey: bearerToken,
  parse,
  body,
  frames,
  error: openaiError,
  rateLimitHeaders: (usage) => openaiRateLimitHeaders(usage),
};

function parse(body: unknown): ParsedRequest | string {
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  const { model, messages, stream, stream_options: streamOptions, temperature } = body;
  if (typeof model !== 'string' || model === '') return 'you must provide a model parameter';
  if (!Array.isArray(messages) || messages.length === 0) {
    return "Invalid 'messages': expected a non-empty array.";
  }
  const normalised: SimMessage[] = [];
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string') {
      return `Invalid 'messages[${i}]': expected an object with a string role.`;
    }
    const content = flattenContent(message.content, `Invalid 'messages[${i}].content'`);
    if (typeof content !== 'string') return content.error;
    // 'developer' is the newer name for 'system'; treat them alike so answers match Anthropic's.
    const role = message.role === 'developer' ? 'system' : message.role;
    normalised.push({ role, content });
  }
  const capName = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens = optionalPositiveInt(body[capName]);
  if (maxTokens === 'invalid') return `Invalid '${capName}': expected an integer >= 1.`;
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || temperature < 0 || temperature > 2) {
      return "Invalid 'temperature': expected a number between 0 and 2.";
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return "Invalid 'stream': expected a boolean.";
  }
  const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;
  return { model, messages: normalised, maxTokens, stream: stream === true, includeUsage };
}

function body(reply: Reply): string {
  const { completion: c } = reply;
  return JSON.stringify({
    id: reply.id,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: c.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: c.finishReason,
      },
    ],
    usage: usage(reply),
    service_tier: 'default',
    system_fingerprint: null,
  });
}

function usage(reply: Reply): Record<string, number> {
  const { inputTokens, outputTokens } = reply.completion;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

function frames(reply: Reply, chunks: readonly string[]): string[] {
  // Real streams put `usage: null` on every chunk once include_usage is asked for.
  const usageField = reply.includeUsage ? ',"usage":null' : '';
  const head =
    `data: {"id":${JSON.stringify(reply.id)},"object":"chat.completion.chunk",` +
    `"created":${reply.created},"model":${JSON.stringify(reply.model)},` +
    `"system_fingerprint":null,"choices":[{"index":0,"delta":`;
  const chunk = (delta: string, finish: string): string =>
    `${head}${delta},"logprobs":null,"finish_reason":${finish}}]${usageField}}\n\n`;

  const out = chunks.map((text) => chunk(`{"content":${JSON.stringify(text)}}`, 'null'));
  const first = chunk('{"role":"assistant","content":"","refusal":null}', 'null');
  let last = chunk('{}', JSON.stringify(reply.completion.finishReason));
  if (reply.includeUsage) {
    last +=
      `data: {"id":${JSON.stringify(reply.id)},"object":"chat.completion.chunk",` +
      `"created":${reply.created},"model":${JSON.stringify(reply.model)},` +
      `"system_fingerprint":null,"choices":[],"usage":${JSON.stringify(usage(reply))}}\n\n`;
  }
  last += 'data: [DONE]\n\n';
  if (out.length === 0) return [first + last];
  out[0] = first + out[0];
  out[out.length - 1] += last;
  return out;
}
