import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

/** A streamed answer read to its end, before the finish reason is mapped. */
export interface StreamedChat {
  text: string;
  finishReason: string;
  usage: CompletionUsage;
  statusCode: number;
  headers: Headers;
}

/**
 * One call through the streaming API: each text chunk goes to `onDelta` as it arrives. The
 * usage comes in a last chunk with no choices, which only `include_usage` makes the server send.
 * The SDK ends the iteration quietly when the call is aborted, so a stream without its finish
 * reason or usage is thrown as cut off; the caller's deadline tells an abort from a dropped
 * connection.
 */
export async function streamChat(
  client: OpenAI,
  params: ChatCompletionCreateParamsBase,
  requestOptions: { signal: AbortSignal; timeout: number },
  onDelta: (text: string) => void,
): Promise<StreamedChat> {
  const { data: chunks, response } = await client.chat.completions
    .create({ ...params, stream: true, stream_options: { include_usage: true } }, requestOptions)
    .withResponse();
  let text = '';
  let finishReason: string | undefined;
  let usage: CompletionUsage | undefined;
  for await (const chunk of chunks) {
    // Compatible servers are not always strict about the chunk shape; read it defensively.
    const choice = chunk.choices?.[0];
    const piece = choice?.delta?.content;
    if (piece) {
      text += piece;
      onDelta(piece);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  if (finishReason === undefined || usage === undefined) {
    throw new Error('the stream ended before its finish reason and usage');
  }
  return { text, finishReason, usage, statusCode: response.status, headers: response.headers };
}
