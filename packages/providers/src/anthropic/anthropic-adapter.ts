import Anthropic from '@anthropic-ai/sdk';
import { type FinishReason, messageText } from '@switchyard/core';
import { attemptDeadline, type AttemptDeadline, SDK_TIMEOUT_MARGIN_MS } from '../attempt-deadline';
import { classifyFailure, type FailureFacts } from '../classify';
import { exhaustedForMs } from '../rate-limit-headers';
import { nodeFetch } from '../http/node-fetch';
import { failedOnPooledConnection } from '../http/pooled-connection-error';
import { inputTokensOf, streamMessage } from './anthropic-stream';
import {
  type CallOptions,
  type ProviderAdapter,
  ProviderCallError,
  type ProviderRequest,
  type ProviderResponse,
} from '../types';

export interface AnthropicAdapterOptions {
  name: string;
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

/** Anthropic requires `max_tokens`; this is what a job that gives none gets. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4_096;

const FINISH: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** Anthropic's Messages API through the official `@anthropic-ai/sdk`. */
export class AnthropicAdapter implements ProviderAdapter {
  readonly name: string;
  private readonly client: Anthropic;

  constructor(options: AnthropicAdapterOptions) {
    this.name = options.name;
    this.client = new Anthropic({
      apiKey: options.apiKey ?? null,
      baseURL: options.baseUrl ?? null,
      maxRetries: 0,
      fetch: nodeFetch,
    });
  }

  async complete(request: ProviderRequest, options: CallOptions): Promise<ProviderResponse> {
    // Anthropic takes the system prompt as a parameter, not as a message.
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map(messageText)
      .join('\n\n');
    const messages = request.messages
      .filter((message) => message.role !== 'system')
      .map((message) => ({
        role: message.role as 'user' | 'assistant',
        content: messageText(message),
      }));
    const params = {
      model: request.model,
      max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages,
      ...(system && { system }),
      // Anthropic's range is 0..1 where OpenAI's is 0..2; clamp so a fallback still runs.
      ...(request.temperature !== undefined && {
        temperature: Math.min(request.temperature, 1),
      }),
      ...(request.topP !== undefined && { top_p: request.topP }),
      ...(request.stop !== undefined && { stop_sequences: request.stop }),
    };
    const deadline = attemptDeadline(options.signal, options.timeoutMs);
    const requestOptions = {
      signal: deadline.signal,
      timeout: options.timeoutMs + SDK_TIMEOUT_MARGIN_MS,
    };
    try {
      if (options.onDelta) {
        const streamed = await streamMessage(this.client, params, requestOptions, options.onDelta);
        return {
          text: streamed.text,
          finishReason: (streamed.stopReason && FINISH[streamed.stopReason]) ?? 'other',
          inputTokens: streamed.inputTokens,
          outputTokens: streamed.outputTokens,
          statusCode: streamed.statusCode,
          exhaustedForMs: exhaustedForMs(streamed.headers, Date.now()),
        };
      }
      const { data, response } = await this.client.messages
        .create(params, requestOptions)
        .withResponse();
      const text = data.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('');
      return {
        text,
        finishReason: (data.stop_reason && FINISH[data.stop_reason]) ?? 'other',
        inputTokens: inputTokensOf(data.usage),
        outputTokens: data.usage.output_tokens,
        statusCode: response.status,
        exhaustedForMs: exhaustedForMs(response.headers, Date.now()),
      };
    } catch (error) {
      // The same taxonomy whether the call failed before its first byte or in mid-stream.
      throw new ProviderCallError(classifyFailure(anthropicFacts(error, deadline)));
    } finally {
      deadline.clear();
    }
  }
}

export function anthropicFacts(error: unknown, deadline: AttemptDeadline): FailureFacts {
  const message = error instanceof Error ? error.message : String(error);
  if (deadline.canceled())
    return { transport: 'aborted', message: 'canceled while the call was running' };
  if (deadline.timedOut() || error instanceof Anthropic.APIConnectionTimeoutError) {
    return { transport: 'timeout', message: 'no answer within the per-attempt timeout' };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return { transport: 'connection', message, pooledConnection: failedOnPooledConnection(error) };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const hint = /prompt is too long/i.test(message)
      ? 'context_length'
      : /credit balance/i.test(message)
        ? 'quota'
        : undefined;
    return { transport: 'http', status: error.status, headers: error.headers, message, hint };
  }
  return { transport: 'malformed', message: `unreadable response: ${message}` };
}
