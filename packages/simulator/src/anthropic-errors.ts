import { type ErrorReply, type HttpFaultKind, type SimError } from './dialect';
import { formatGoDuration } from './duration';

/** Errors in Anthropic's `{ type: 'error', error: { type, message } }` shape. */
export function anthropicError(error: SimError): ErrorReply {
  switch (error.type) {
    case 'missing_key':
      return reply(
        401,
        'authentication_error',
        'x-api-key header (or Authorization: Bearer) is required',
      );
    case 'invalid_request':
      return reply(400, 'invalid_request_error', error.message);
    case 'rate_limited':
      return reply(
        429,
        'rate_limit_error',
        `This request would exceed your rate limit of ${error.limit} ${error.limitType} per ` +
          `${formatGoDuration(error.windowMs)} for ${error.model} (used ${error.used}, requested ` +
          `${error.requested}). Please try again in ${formatGoDuration(error.retryAfterMs)}.`,
      );
    case 'fault':
      return fault(error.kind, error);
  }
}

function fault(kind: HttpFaultKind, e: Extract<SimError, { type: 'fault' }>): ErrorReply {
  switch (kind) {
    case '500':
      return reply(500, 'api_error', 'Internal server error');
    case '502':
      return reply(502, 'api_error', 'Bad gateway');
    case '503':
      return reply(503, 'api_error', 'Service unavailable');
    case '529':
      return reply(529, 'overloaded_error', 'Overloaded');
    case '429':
      return reply(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit (simulated fault).',
      );
    case 'insufficient_quota':
      return reply(
        400,
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      );
    case '400':
      return reply(400, 'invalid_request_error', 'Invalid request (simulated fault).');
    case '401':
      return reply(401, 'authentication_error', 'invalid x-api-key');
    case '403':
      return reply(
        403,
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      );
    case '404':
      return reply(404, 'not_found_error', `model: ${e.model}`);
    case '413':
      return reply(
        413,
        'request_too_large',
        'Request exceeds the maximum allowed number of bytes.',
      );
    case 'context_length':
      return reply(
        400,
        'invalid_request_error',
        `prompt is too long: ${e.requestedTokens} tokens > ${e.contextWindow} maximum`,
      );
  }
}

function reply(status: number, type: string, message: string): ErrorReply {
  return { status, body: JSON.stringify({ type: 'error', error: { type, message } }) };
}
