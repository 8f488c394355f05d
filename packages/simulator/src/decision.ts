import { type IncomingMessage } from 'node:http';
import { type CallRecord } from './call-log';
import { type Dialect, type ParsedRequest, type Reply, type SimError } from './dialect';
import { type FaultChoice } from './fault-choice';
import { type Outcome } from './outcome';
import { retryAfterHeaders } from './rate-limit-headers';
import { type SimulatedCompletion } from './simulate-completion';
import { type SimulatorState } from './simulator-state';
import { tokenChunks } from './tokenizer';

// An injected 429 without an explicit retry-after still says when to come back, like a real one.
const DEFAULT_429_RETRY_AFTER_MS = 1000;

/** Per-request context plus the builders of each kind of outcome; each records itself in the call. */
export class Decision {
  constructor(
    readonly req: IncomingMessage,
    readonly dialect: Dialect,
    readonly state: SimulatorState,
    readonly call: CallRecord,
  ) {}

  baseHeaders(): Record<string, string> {
    return { [this.dialect.requestIdHeader]: `req_sim${this.call.seq}` };
  }

  reply(request: ParsedRequest, completion: SimulatedCompletion): Reply {
    const prefix = this.dialect.provider === 'openai' ? 'chatcmpl-sim' : 'msg_sim';
    return {
      id: `${prefix}${this.call.seq}`,
      created: Math.floor(this.call.at / 1000),
      model: request.model,
      completion,
      includeUsage: request.includeUsage,
    };
  }

  faultError(
    kind: Extract<SimError, { type: 'fault' }>['kind'],
    requestedTokens: number,
  ): SimError {
    const window = this.state.options.contextWindow ?? Number.POSITIVE_INFINITY;
    return {
      type: 'fault',
      kind,
      model: this.call.model,
      apiKey: this.call.apiKey,
      requestedTokens,
      // Injected context errors must still read as "requested > maximum".
      contextWindow: Math.max(0, Math.min(window, requestedTokens - 1)),
    };
  }

  invalid(message: string): Outcome {
    return this.reject({ type: 'invalid_request', message }, null);
  }

  /** An immediate error answer. */
  reject(error: SimError, fault: string | null, headers: Record<string, string> = {}): Outcome {
    const { status, body } = this.dialect.error(error);
    this.call.status = status;
    this.call.fault = fault;
    return {
      delayMs: 0,
      action: { kind: 'json', status, body, headers: { ...this.baseHeaders(), ...headers } },
    };
  }

  /** An injected fault; it surfaces after the request's latency, as a real failure would. */
  fault(
    choice: FaultChoice,
    request: ParsedRequest,
    completion: SimulatedCompletion,
    requestedTokens: number,
    delayMs: number,
  ): Outcome {
    const { call, dialect } = this;
    call.fault = choice.kind;
    switch (choice.kind) {
      case 'hang':
        call.status = 'hang';
        return { delayMs: 0, action: { kind: 'hang' } };
      case 'reset':
        call.status = 'reset';
        return { delayMs, action: { kind: 'reset' } };
      case 'malformed': {
        call.status = 200;
        const reply = this.reply(request, completion);
        if (request.stream) {
          const [first = ''] = dialect.frames(reply, tokenChunks(completion.text));
          const event = first.slice(0, first.indexOf('\n\n'));
          const frames = [`${truncate(event)}\n\n`];
          return { delayMs, action: { kind: 'stream', frames, headers: this.baseHeaders() } };
        }
        const body = truncate(dialect.body(reply));
        return {
          delayMs,
          action: { kind: 'json', status: 200, body, headers: this.baseHeaders() },
        };
      }
      default: {
        const { status, body } = dialect.error(this.faultError(choice.kind, requestedTokens));
        call.status = status;
        const retryAfterMs =
          choice.retryAfterMs ?? (choice.kind === '429' ? DEFAULT_429_RETRY_AFTER_MS : undefined);
        const headers = {
          ...this.baseHeaders(),
          ...(retryAfterMs === undefined ? {} : retryAfterHeaders(retryAfterMs)),
        };
        return { delayMs, action: { kind: 'json', status, body, headers } };
      }
    }
  }
}

function truncate(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
