/**
 * Replies and failures that mean "Redis cannot serve us right now" rather than a bug: the API
 * answers these with 503 and `Retry-After`. Besides lost connections: a command that timed out,
 * a Redis busy running a long script, out of memory (it runs without eviction), unable to
 * persist, still loading its data, or a read-only replica after a failover.
 */
const UNAVAILABLE = [
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
  'Command timed out',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
];
const UNAVAILABLE_REPLIES = ['BUSY', 'OOM', 'MISCONF', 'LOADING', 'READONLY', 'MASTERDOWN'];

export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { message } = error;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    UNAVAILABLE.some((text) => message.includes(text)) ||
    UNAVAILABLE_REPLIES.some((reply) => message.startsWith(`${reply} `))
  );
}

/**
 * Whether Redis refused a write because it reached `maxmemory` (it runs with `noeviction`, so it
 * refuses rather than drops keys). Not a brief outage: someone has to free memory or raise the
 * limit, and the client should hear that the store is full, not that it is unreachable.
 */
export function isRedisOutOfMemoryError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('OOM ');
}
