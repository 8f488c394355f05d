import type { RequestHandler } from 'express';

/**
 * While the server drains, every response asks its client to close the connection: a keep-alive
 * socket would otherwise carry the client's next request to a server that is going away.
 */
export function closeWhenDraining(draining: AbortSignal): RequestHandler {
  return (_req, res, next) => {
    if (draining.aborted) {
      res.setHeader('Connection', 'close');
      return next();
    }
    const onDrain = () => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    draining.addEventListener('abort', onDrain, { once: true });
    res.once('close', () => draining.removeEventListener('abort', onDrain));
    next();
  };
}
