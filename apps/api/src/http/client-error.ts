import type { Socket } from 'node:net';
import { newRequestId } from '@switchyard/core';

interface ParseError {
  status: number;
  reason: string;
  message: string;
}

const NOT_HTTP: ParseError = {
  status: 400,
  reason: 'Bad Request',
  message: 'The request is not valid HTTP.',
};

/** The parse errors Node answers with another status than 400, by their code. */
const PARSE_ERRORS: Readonly<Record<string, ParseError>> = Object.assign(Object.create(null), {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    message: 'The request line and headers are larger than 16 KiB.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    message: 'The request did not arrive in time.',
  },
});

/**
 * Node's own answer to a request it cannot parse (headers over 16 KiB, a malformed request
 * line): by default a bare `431` or `400` with no body. This one keeps the status and gives it
 * the contract's JSON error body, so even these are errors a client can read. The socket is
 * closed after it: the parser cannot tell where the next request would begin.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const { status, reason, message } = PARSE_ERRORS[error.code ?? ''] ?? NOT_HTTP;
  const requestId = newRequestId();
  const body = JSON.stringify({
    error: { type: 'invalid_request', message, request_id: requestId },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
