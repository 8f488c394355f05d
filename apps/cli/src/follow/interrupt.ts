export type Interruptible<T> = { interrupted: false; value: T } | { interrupted: true };

/**
 * Runs `work` until it settles or the user presses Ctrl-C, whichever comes first. SIGINT aborts
 * the signal handed to `work` (a stream closes its connection) and resolves at once with
 * `interrupted`, so the command can say how to pick the job up again and exit 130; nothing on
 * the server is canceled. The handler is removed afterwards, so a second Ctrl-C outside a wait
 * has Node's default effect. The handler is in place before `work` starts, so whatever `work`
 * draws first (a spinner frame) can already be answered with Ctrl-C: until a handler exists,
 * SIGINT kills the process outright.
 */
export async function untilInterrupted<T>(
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Interruptible<T>> {
  const controller = new AbortController();
  let onSigint: () => void = () => undefined;
  const interrupted = new Promise<{ interrupted: true }>((resolve) => {
    onSigint = () => {
      controller.abort();
      resolve({ interrupted: true });
    };
    process.once('SIGINT', onSigint);
  });
  try {
    const running = work(controller.signal).then((value) => ({
      interrupted: false as const,
      value,
    }));
    // After a Ctrl-C the aborted work may still reject (AbortError): that is the expected end.
    running.catch(() => undefined);
    return await Promise.race([running, interrupted]);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
