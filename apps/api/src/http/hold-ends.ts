import type { Response } from 'express';

/**
 * When a held request (a long-poll, `Prefer: wait`) must stop holding: the client disconnected
 * before the response was sent, or the server began to drain (SIGTERM), in which case the request
 * is answered at once with the job as it stands instead of being cut.
 */
export function holdEnds(res: Response, draining: AbortSignal): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return AbortSignal.any([controller.signal, draining]);
}
