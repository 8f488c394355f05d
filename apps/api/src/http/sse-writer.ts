import type { JobStreamEvent } from '@switchyard/core';
import type { Response } from 'express';

/**
 * Writes a Server-Sent Events response (text/event-stream) on an express response: the few
 * lines of the format the events route needs, by hand, so what goes on the wire is plain to see.
 * JSON never holds a raw newline, so each `data:` is one line.
 */
export class SseWriter {
  constructor(private readonly res: Response) {}

  /** The headers and the `retry:` line: from here on the answer is a 200 stream. */
  open(retryMs: number): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Proxies that buffer (nginx) would hold the deltas back.
      'X-Accel-Buffering': 'no',
      // The socket closes with the stream: a stream ends on drain or after `done`, and a
      // client reconnects with a new request anyway, so a keep-alive socket would only linger.
      Connection: 'close',
    });
    this.res.write(`retry: ${retryMs}\n\n`);
  }

  event(event: JobStreamEvent): void {
    this.res.write(
      `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`,
    );
  }

  /** A comment line: ignored by clients, it keeps proxies from closing an idle connection. */
  comment(text: string): void {
    this.res.write(`: ${text}\n\n`);
  }

  /** Ends the response (a no-op once the client has gone). */
  close(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
