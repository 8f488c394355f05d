/**
 * A per-process queue of calls waiting for the same limits: only the head asks Redis, the rest
 * wait their turn in arrival order. Without it every waiting job would ask at the moment a slot
 * frees (a thundering herd of scripts) and the order would be luck.
 */
export class WaitingLines {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` when every earlier caller on `line` is done; `signal` gives up waiting. */
  async inTurn<T>(line: string, work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const previous = this.tails.get(line) ?? Promise.resolve();
    let leave!: () => void;
    const mine = new Promise<void>((resolve) => (leave = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(line, tail);
    try {
      await untilAborted(previous, signal);
      return await work();
    } finally {
      leave();
      if (this.tails.get(line) === tail) this.tails.delete(line);
    }
  }
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A timer that an abort cuts short (it then rejects with the signal's reason). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return untilAborted(
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    signal,
  ).finally(() => clearTimeout(timer));
}
