/**
 * The per-attempt timeout, owned by us rather than the SDK: one signal that aborts on the job's
 * cancel or on the deadline, and a record of which one fired. Classifying by our own flags, not
 * by the SDK's error class, keeps "timeout" and "canceled" apart whatever the SDK throws.
 */
export interface AttemptDeadline {
  signal: AbortSignal;
  timedOut(): boolean;
  canceled(): boolean;
  /** Clears the timer; call when the attempt ends. */
  clear(): void;
}

export function attemptDeadline(jobSignal: AbortSignal, timeoutMs: number): AttemptDeadline {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`attempt timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  return {
    signal: AbortSignal.any([jobSignal, timeout.signal]),
    timedOut: () => timeout.signal.aborted && !jobSignal.aborted,
    canceled: () => jobSignal.aborted,
    clear: () => clearTimeout(timer),
  };
}

/** The SDK's own timeout is only a backstop behind ours. */
export const SDK_TIMEOUT_MARGIN_MS = 5_000;
