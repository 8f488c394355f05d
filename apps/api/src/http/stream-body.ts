import type { Response } from 'express';

/**
 * Writes `chunks` to the response and ends it, reading the next chunk only once the socket has
 * taken the last one (backpressure: a slow client makes the producer wait instead of the API
 * buffering the whole body). Stops reading as soon as the client has gone. A failure after the
 * headers were sent cannot become an error body: the connection is cut, so the client sees a
 * truncated body rather than a complete-looking one.
 */
export async function streamBody(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
    return;
  }
  res.end();
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
