/**
 * A request that went out on a pooled keep-alive connection and failed before any answer came
 * (reset, hang-up). Such a failure is ambiguous: the provider may have closed that connection
 * before the request got there (its keep-alive timeout ran out while the request was on its
 * way, or while either side was stalled), so it says nothing sure about the provider's health.
 * The same failure on a fresh connection does.
 */
export class PooledConnectionError extends Error {
  readonly code: string | undefined;

  constructor(cause: Error) {
    super(`${cause.message} (on a reused keep-alive connection)`, { cause });
    this.name = 'PooledConnectionError';
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

/** True when `error`, or an error it wraps (the SDKs keep ours as `cause`), is one. */
export function failedOnPooledConnection(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof PooledConnectionError) return true;
    current = current.cause;
  }
  return false;
}
