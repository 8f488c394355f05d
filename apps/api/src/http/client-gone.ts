import type { Response } from 'express';

/** Aborts when the client disconnects before the response is sent (ends a long-poll early). */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
