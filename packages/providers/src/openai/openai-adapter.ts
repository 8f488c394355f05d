import type { FinishReason } from '@switchyard/core';
import { messageText } from '@switchyard/core';
import OpenAI from 'openai';
import { attemptDeadline, type AttemptDeadline, SDK_TIMEOUT_MARGIN_MS } from '../attempt-deadline';
import { classifyFailure, type FailureFacts } from '../classify';
import { exhaustedForMs } from '../rate-limit-headers';
import { nodeFetch } from '../http/node-fetch';
import { failedOnPooledConnection } from '../http/pooled-connection-error';
import { streamChat } from './openai-stream';
import {
  type CallOptions,
  type ProviderAdapter,
  ProviderCallError,
  type ProviderRequest,
  type ProviderResponse,
} from '../types';

export interface OpenAIAdapterOptions {
  name: string;
  apiKey: string | undefined;
  /** `undefined` keeps the SDK's default endpoint. */
  baseUrl: string | undefined;
  /**
   * OpenAI's own API wants `max_completion_tokens` (its reasoning models reject `max_tokens`);
   * OpenAI-compatible servers (vLLM, Ollama, Groq) mostly know only `max_tokens`.
   */
  dialect: 'openai' | 'compatible';
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

/** OpenAI and every OpenAI-compatible server, through the official `openai` SDK. */
export class OpenAIAdapter implements ProviderAdapter {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIAdapterOptions) {
    this.name = options.name;
    this.client = new OpenAI({
      // Keyless local servers still need a non-empty string for the SDK.
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseUrl ?? null,
      // Retries are ours alone: the SDK's would hide calls from `attempts` and the limiter.
      maxRetries: 0,
      fetch: nodeFetch,
    });
  }

  async complete(request: ProviderRequest, options: CallOptions): Promise<ProviderResponse> {
    const limit =
      request.maxTokens === undefined
        ? {}
        : this.options.dialect === 'openai'
          ? { max_completion_tokens: request.maxTokens }
          : { max_tokens: request.maxTokens };
    const params = {
      model: request.model,
      messages: request.messages.map((message) => ({
        role: message.role,
        content: messageText(message),
      })),
      ...limit,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.topP !== undefined && { top_p: request.topP }),
      ...(request.stop !== undefined && { stop: request.stop }),
    };
    const deadline = attemptDeadline(options.signal, options.timeoutMs);
    const requestOptions = {
      signal: deadline.signal,
      timeout: options.timeoutMs + SDK_TIMEOUT_MARGIN_MS,
    };
    // When the request leaves: the provider's reset durations count from about then.
    const sentAt = Date.now();
    try {
      if (options.onDelta) {
        const streamed = await streamChat(this.client, params, requestOptions, options.onDelta);
        return {
          text: streamed.text,
          finishReason: FINISH[streamed.finishReason] ?? 'other',
          inputTokens: streamed.usage.prompt_tokens,
          outputTokens: streamed.usage.completion_tokens,
          statusCode: streamed.statusCode,
          exhaustedForMs: exhaustedForMs(streamed.headers, Date.now(), sentAt),
        };
      }
      const { data, response } = await this.client.chat.completions
        .create(params, requestOptions)
        .withResponse();
      const choice = data.choices?.[0];
      if (!choice || !data.usage) {
        throw new ProviderCallError(
          classifyFailure({ transport: 'malformed', message: 'response has no choices or usage' }),
        );
      }
      return {
        text: choice.message.content ?? '',
        finishReason: FINISH[choice.finish_reason] ?? 'other',
        inputTokens: data.usage.prompt_tokens,
        outputTokens: data.usage.completion_tokens,
        statusCode: response.status,
        exhaustedForMs: exhaustedForMs(response.headers, Date.now(), sentAt),
      };
    } catch (error) {
      if (error instanceof ProviderCallError) throw error;
      // The same taxonomy whether the call failed before its first byte or in mid-stream.
      throw new ProviderCallError(classifyFailure(openAIFacts(error, deadline)));
    } finally {
      deadline.clear();
    }
  }
}

/** Reads the SDK's error classes; `code` tells quota and context-length apart from plain 429/400. */
export function openAIFacts(error: unknown, deadline: AttemptDeadline): FailureFacts {
  const message = error instanceof Error ? error.message : String(error);
  if (deadline.canceled())
    return { transport: 'aborted', message: 'canceled while the call was running' };
  if (deadline.timedOut() || error instanceof OpenAI.APIConnectionTimeoutError) {
    return { transport: 'timeout', message: 'no answer within the per-attempt timeout' };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { transport: 'connection', message, pooledConnection: failedOnPooledConnection(error) };
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const code = error.code ?? error.type;
    const hint =
      code === 'insufficient_quota'
        ? 'quota'
        : code === 'context_length_exceeded'
          ? 'context_length'
          : undefined;
    return { transport: 'http', status: error.status, headers: error.headers, message, hint };
  }
  // A 200 whose body is not the JSON it claims to be surfaces as a parse error.
  return { transport: 'malformed', message: `unreadable response: ${message}` };
}
