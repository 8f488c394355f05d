import { type IncomingHttpHeaders } from 'node:http';
import { type FaultKind } from './fault-kinds';
import { type WindowUsage } from './rate-limiter';
import { type SimMessage, type SimulatedCompletion } from './simulate-completion';

export type Provider = 'openai' | 'anthropic';

/** A completion request reduced to what the simulator needs, the same for both providers. */
export interface ParsedRequest {
  model: string;
  messages: SimMessage[];
  maxTokens: number | undefined;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
}

export interface Reply {
  id: string;
  /** Epoch seconds. */
  created: number;
  model: string;
  completion: SimulatedCompletion;
  includeUsage: boolean;
}

/** Faults that are answered with an HTTP error body (the others act on the connection). */
export type HttpFaultKind = Exclude<FaultKind, 'hang' | 'reset' | 'malformed'>;

export type SimError =
  | { type: 'missing_key' }
  | { type: 'invalid_request'; message: string }
  | {
      type: 'rate_limited';
      model: string;
      windowMs: number;
      limitType: 'requests' | 'tokens';
      limit: number;
      used: number;
      requested: number;
      retryAfterMs: number;
    }
  | {
      type: 'fault';
      kind: HttpFaultKind;
      model: string;
      apiKey: string;
      /** Input tokens + max_tokens, what a context-length error reports. */
      requestedTokens: number;
      /** The maximum a context-length error reports; always below requestedTokens. */
      contextWindow: number;
    };

export interface ErrorReply {
  status: number;
  body: string;
}

/** Everything that differs between the OpenAI and Anthropic wire formats. */
export interface Dialect {
  readonly provider: Provider;
  /** Header that carries the request id (what each SDK reads into `requestID`). */
  readonly requestIdHeader: string;
  apiKey(headers: IncomingHttpHeaders): string | undefined;
  /** A ParsedRequest, or the message for a 400. */
  parse(body: unknown): ParsedRequest | string;
  body(reply: Reply): string;
  /** SSE text grouped into frames; `tokenLatencyMs` is waited between frames. */
  frames(reply: Reply, chunks: readonly string[]): string[];
  error(error: SimError): ErrorReply;
  rateLimitHeaders(usage: readonly WindowUsage[], now: number): Record<string, string>;
}
