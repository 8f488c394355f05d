import { type ErrorReply, type HttpFaultKind, type SimError } from './dialect';
import { formatGoDuration } from './duration';

/** Errors in OpenAI's `{ error: { message, type, param, code } }` shape. */
export function openaiError(error: SimError): ErrorReply {
  switch (error.type) {
    case 'missing_key':
      return reply(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
      );
    case 'invalid_request':
      return reply(400, error.message, 'invalid_request_error');
    case 'rate_limited':
      return reply(
        429,
        `Rate limit reached for ${error.model} on ${error.limitType} per ${formatGoDuration(error.windowMs)}: ` +
          `Limit ${error.limit}, Used ${error.used}, Requested ${error.requested}. ` +
          `Please try again in ${formatGoDuration(error.retryAfterMs)}.`,
        error.limitType,
        null,
        'rate_limit_exceeded',
      );
    case 'fault':
      return fault(error.kind, error);
  }
}

function fault(kind: HttpFaultKind, e: Extract<SimError, { type: 'fault' }>): ErrorReply {
  switch (kind) {
    case '500':
      return reply(
        500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case '502':
      return reply(502, 'Bad gateway.', 'server_error');
    case '503':
      return reply(503, 'The server is overloaded or not ready yet.', 'server_error');
    case '529':
      return reply(529, 'Overloaded', 'server_error');
    case '429':
      return reply(
        429,
        `Rate limit reached for ${e.model} (simulated fault).`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
    case 'insufficient_quota':
      return reply(
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        null,
        'insufficient_quota',
      );
    case '400':
      return reply(400, 'Invalid request (simulated fault).', 'invalid_request_error');
    case '401':
      return reply(
        401,
        `Incorrect API key provided: ...${e.apiKey}.`,
        'invalid_request_error',
        null,
        'invalid_api_key',
      );
    case '403':
      return reply(
        403,
        'You are not allowed to access this resource (simulated fault).',
        'invalid_request_error',
        null,
        'permission_denied',
      );
    case '404':
      return reply(
        404,
        `The model \`${e.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        null,
        'model_not_found',
      );
    case '413':
      return reply(
        413,
        'Request too large (simulated fault).',
        'invalid_request_error',
        null,
        'request_too_large',
      );
    case 'context_length':
      return reply(
        400,
        `This model's maximum context length is ${e.contextWindow} tokens. However, you requested ` +
          `${e.requestedTokens} tokens. Please reduce the length of the messages or completion.`,
        'invalid_request_error',
        'messages',
        'context_length_exceeded',
      );
  }
}

function reply(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
): ErrorReply {
  return { status, body: JSON.stringify({ error: { message, type, param, code } }) };
}
