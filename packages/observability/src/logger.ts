import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory: JSON lines on stdout, ISO timestamps, and secrets redacted wherever
 * they might appear in a logged request or config.
 */
export function createLogger(
  name: string,
  level = 'info',
  /** Where lines go. @defaultValue stdout */
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name,
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'apiKey',
          '*.apiKey',
          'adminToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
