import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase, StopReason } from '@anthropic-ai/sdk/resources/messages';

/** A streamed message read to its end, before the stop reason is mapped. */
export interface StreamedMessage {
  text: string;
  stopReason: StopReason | null;
  inputTokens: number;
  outputTokens: number;
  statusCode: number;
  headers: Headers;
}

interface InputUsage {
  input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

/** Cached prompt tokens are input tokens too (billed at other rates we do not model yet). */
export function inputTokensOf(usage: InputUsage): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  );
}

/**
 * One call through the raw event stream (`messages.create({ stream: true })`): cheaper than
 * `messages.stream()`, which rebuilds the whole message on every event and emits events we
 * would not listen to. `message_start` carries the input usage, `message_delta` the stop reason
 * and the cumulative usage. The SDK ends the iteration quietly when the call is aborted, so a
 * stream without `message_stop` is thrown as cut off; the caller's deadline tells an abort from
 * a dropped connection.
 */
export async function streamMessage(
  client: Anthropic,
  params: MessageCreateParamsBase,
  requestOptions: { signal: AbortSignal; timeout: number },
  onDelta: (text: string) => void,
): Promise<StreamedMessage> {
  const { data: events, response } = await client.messages
    .create({ ...params, stream: true }, requestOptions)
    .withResponse();
  let text = '';
  let stopReason: StopReason | null = null;
  let usage: InputUsage | undefined;
  let outputTokens = 0;
  let stopped = false;
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        usage = event.message.usage;
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta' && event.delta.text !== '') {
          text += event.delta.text;
          onDelta(event.delta.text);
        }
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason;
        outputTokens = event.usage.output_tokens;
        // The API may restate the input usage here, cumulatively; a stated count is the final one.
        if (usage) {
          usage = {
            input_tokens: event.usage.input_tokens ?? usage.input_tokens,
            cache_creation_input_tokens:
              event.usage.cache_creation_input_tokens ?? usage.cache_creation_input_tokens,
            cache_read_input_tokens:
              event.usage.cache_read_input_tokens ?? usage.cache_read_input_tokens,
          };
        }
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped || usage === undefined) {
    throw new Error('the stream ended before message_stop');
  }
  return {
    text,
    stopReason,
    inputTokens: inputTokensOf(usage),
    outputTokens,
    statusCode: response.status,
    headers: response.headers,
  };
}
