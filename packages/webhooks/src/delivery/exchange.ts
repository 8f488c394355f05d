import http from 'node:http';
import https from 'node:https';
import type { DeliveryOutcome } from './delivery-outcome';
import { failureFromError, TIMEOUT_CODE, toDeliveryError } from './failure';
import { webhookAgent } from './http-agents';
import { retryAfterFor } from './retry-after';

/**
 * How much of a response body is read (and discarded). Reading to the end lets the socket go
 * back to the pool; past this, the socket is dropped instead so a receiver cannot keep us busy.
 *
 * @defaultValue 65_536
 */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

/** A URL that passed the synchronous checks, as `http.request` options (agent aside). */
export interface Target {
  readonly protocol: 'http:' | 'https:';
  readonly options: http.RequestOptions;
}

/** What one POST sends and how long it may take. */
export interface ExchangeInput {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  /** The clock for HTTP-date `Retry-After` values. */
  readonly now: () => number;
  /** `performance.now()` when the attempt began, for its latency. */
  readonly started: number;
}

/** The outcome for a complete answer. */
function outcomeForStatus(
  statusCode: number,
  retryAfterMs: number | undefined,
  latencyMs: number,
): DeliveryOutcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode, latencyMs };
  if (statusCode === 410) return { kind: 'gone', statusCode, latencyMs };
  return {
    kind: 'failed',
    reason: 'http-status',
    statusCode,
    latencyMs,
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Runs the POST; resolves exactly once, whatever the socket does. */
export function exchange(target: Target, input: ExchangeInput): Promise<DeliveryOutcome> {
  return new Promise((resolve) => new Exchange(target, input, resolve).start());
}

/**
 * One POST as a small state machine. A class, not closures, because this runs thousands of times
 * a second: each closure bound to a name costs an allocation and, under tsx, a `defineProperty`.
 */
class Exchange {
  private statusCode: number | undefined;
  private settled = false;
  private request: http.ClientRequest | undefined;
  private received = 0;
  // One timer for the whole exchange: socket timeouts only measure inactivity, so a receiver
  // trickling a byte at a time (or a slow DNS answer) would never trip them.
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly target: Target,
    private readonly input: ExchangeInput,
    private readonly resolve: (outcome: DeliveryOutcome) => void,
  ) {
    this.timer = setTimeout(() => this.timeOut(), input.timeoutMs);
  }

  start(): void {
    const { target, input } = this;
    const transport = target.protocol === 'https:' ? https : http;
    try {
      this.request = transport.request({
        ...target.options,
        agent: webhookAgent(target.protocol, input.allowPrivate),
        headers: {
          ...input.headers,
          // Set after the caller's: Node matches header names case-insensitively, last wins.
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(input.body),
        },
      });
    } catch (error) {
      // Node validates headers synchronously; a bad one fails the same way every time.
      this.finish(
        failureFromError(toDeliveryError(error), this.elapsed(), undefined, 'invalid-request'),
      );
      return;
    }
    this.request.on('error', (error) => this.fail(error));
    this.request.on('response', (response) => this.answer(response));
    this.request.end(input.body);
  }

  private answer(response: http.IncomingMessage): void {
    const status = response.statusCode ?? 0;
    this.statusCode = status;
    const retryAfterMs = retryAfterFor(status, response.headers['retry-after'], this.input.now());
    response.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > MAX_RESPONSE_BODY_BYTES) {
        // The status is what counts; dropping the socket is cheaper than draining a flood.
        this.finish(outcomeForStatus(status, retryAfterMs, this.elapsed()));
        response.destroy();
      }
    });
    response.on('end', () => this.finish(outcomeForStatus(status, retryAfterMs, this.elapsed())));
    response.on('error', (error) => this.fail(error));
    // A body cut short by the receiver: the answer is incomplete, so it is not an answer.
    response.on('close', () => {
      if (!response.complete) {
        this.fail(
          Object.assign(new Error('connection closed before the response body ended'), {
            code: 'ECONNRESET',
          }),
        );
      }
    });
  }

  private timeOut(): void {
    const phase = this.statusCode === undefined ? 'waiting for the response' : 'reading the body';
    const error = Object.assign(
      new Error(`webhook delivery timed out after ${this.input.timeoutMs} ms (${phase})`),
      { code: TIMEOUT_CODE },
    );
    this.fail(error);
    this.request?.destroy(error);
  }

  private fail(error: unknown): void {
    this.finish(failureFromError(toDeliveryError(error), this.elapsed(), this.statusCode));
  }

  private finish(outcome: DeliveryOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(outcome);
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.input.started);
  }
}
