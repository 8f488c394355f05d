import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type CallRecord } from './call-log';
import { Decision } from './decision';
import { type Dialect } from './dialect';
import { parseDirectives } from './directives';
import { explicitFault, randomFault } from './fault-choice';
import { readBody } from './http-io';
import { sampleLatency } from './latency';
import { deliver, type Outcome } from './outcome';
import { rateLimitedHeaders } from './rate-limit-headers';
import { RequestScope } from './request-scope';
import { requestHash } from './request-hash';
import { simulateCompletion } from './simulate-completion';
import { type SimulatorState } from './simulator-state';
import { tokenChunks } from './tokenizer';

// Anthropic's documented request size limit; anything bigger is answered 413 like the real API.
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** One completion request, start to finish, on either provider's endpoint. */
export function handleCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  dialect: Dialect,
  state: SimulatorState,
): void {
  const token = state.requestStarted();
  const scope = new RequestScope(res, () => state.requestEnded(token));
  readBody(req, MAX_BODY_BYTES, (body) => {
    if (scope.closed) return;
    const call: CallRecord = {
      seq: state.nextSeq(),
      at: state.now(),
      provider: dialect.provider,
      model: '',
      stream: false,
      status: 200,
      fault: null,
      requestHash: '',
      inputTokens: 0,
      outputTokens: 0,
      apiKey: '',
    };
    const outcome = decide(new Decision(req, dialect, state, call), body);
    state.record(call, token);
    deliver(req, res, scope, outcome, state.options.tokenLatencyMs);
  });
}

/**
 * The order of checks is the contract: the door first (body size, key, JSON, shape, directives);
 * then an explicit fault, so a test's header or directive wins over everything else; then the
 * model list, context window and rate limits, which reject at once; then random faults, which
 * only hit requests the "provider" accepted; then the answer.
 */
function decide(d: Decision, body: Buffer | 'too_large'): Outcome {
  const { dialect, state, call } = d;
  if (body === 'too_large') return d.reject(d.faultError('413', 0), null);

  const key = dialect.apiKey(d.req.headers);
  if (key === undefined) return d.reject({ type: 'missing_key' }, null);
  call.apiKey = key.slice(-4);

  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return d.invalid('We could not parse the JSON body of your request.');
  }
  const request = dialect.parse(json);
  if (typeof request === 'string') return d.invalid(request);
  call.model = request.model;
  call.stream = request.stream;

  const directive = parseDirectives(request.messages);
  if (typeof directive === 'string') return d.invalid(directive);
  call.requestHash = requestHash(request.model, request.messages);
  const completion = simulateCompletion(request);
  call.inputTokens = completion.inputTokens;
  const requestedTokens = completion.inputTokens + (request.maxTokens ?? 0);
  const options = state.options;
  const latency = (): number => directive?.latencyMs ?? sampleLatency(options.latency, state.prng);

  const explicit = explicitFault(
    header(d.req, 'x-simulator-fault'),
    header(d.req, 'x-simulator-retry-after'),
    directive,
    request.model,
    call.requestHash,
    state.times,
  );
  if (typeof explicit === 'string') return d.invalid(explicit);
  if (explicit) return d.fault(explicit, request, completion, requestedTokens, latency());

  if (options.models && !options.models.includes(request.model)) {
    return d.reject(d.faultError('404', requestedTokens), '404');
  }
  if (options.contextWindow !== undefined && requestedTokens > options.contextWindow) {
    return d.reject(d.faultError('context_length', requestedTokens), 'context_length');
  }

  let limitHeaders: Record<string, string> = {};
  if (state.limiter.active) {
    // OpenAI's estimate: a request may use all of max_tokens, so that is what it is charged.
    const cost = completion.inputTokens + (request.maxTokens ?? completion.outputTokens);
    const verdict = state.limiter.check(`${key}\u0000${request.model}`, cost, call.at);
    if (!verdict.ok) {
      const { usage, retryAfterMs, limitType, windowMs, limit, used, requested } = verdict;
      return d.reject(
        {
          type: 'rate_limited',
          model: request.model,
          windowMs,
          limitType,
          limit,
          used,
          requested,
          retryAfterMs,
        },
        'rate_limit',
        rateLimitedHeaders(usage, call.at, retryAfterMs),
      );
    }
    limitHeaders = dialect.rateLimitHeaders(verdict.usage, call.at);
  }

  const random = randomFault(options.faults, state.prng);
  if (random) return d.fault(random, request, completion, requestedTokens, latency());

  call.outputTokens = completion.outputTokens;
  const reply = d.reply(request, completion);
  const headers = { ...d.baseHeaders(), ...limitHeaders };
  if (request.stream) {
    const frames = dialect.frames(reply, tokenChunks(completion.text));
    return { delayMs: latency(), action: { kind: 'stream', frames, headers } };
  }
  return {
    delayMs: latency(),
    action: { kind: 'json', status: 200, body: dialect.body(reply), headers },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
