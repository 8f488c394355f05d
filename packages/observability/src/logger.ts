import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { serializeError } from './serialize-error';
import { stdoutLines } from './stdout-lines';
import { serializeRequest, serializeResponse } from './serialize-http';

export type { Level, Logger };

/**
 * Paths censored wherever they appear, a second line of defence behind the serializers (which
 * keep only an allow list of request headers): a credential logged under one of these names by
 * mistake still comes out as `[redacted]`.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'apiKeys',
  '*.apiKeys',
  'adminToken',
  'viewerToken',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
];

/**
 * The one logger factory: JSON lines on stdout, ISO timestamps, requests, responses and errors
 * serialized without secrets or job text (see serialize-http.ts, serialize-error.ts), and known
 * secret fields redacted wherever they might appear.
 */
export function createLogger(
  name: string,
  level = 'info',
  /** Where lines go. @defaultValue stdout (see StdoutLines) */
  destination: DestinationStream = stdoutLines(),
): Logger {
  return pino(
    {
      name,
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, req: serializeRequest, res: serializeResponse },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
