import type { RequestHandler, Response } from 'express';

/**
 * What the API does with the requests it holds when it is told to stop (SIGTERM): held ones (a
 * long-poll, `Prefer: wait`) are told to answer at once with the job as it stands instead of
 * being cut, and every response still to be sent asks its client to close the connection, since
 * a keep-alive socket would otherwise carry the client's next request to a server going away.
 *
 * Plain sets, not a listener per request on an AbortSignal: requests come by the thousand a
 * second and an EventTarget listener costs several times a Set entry (and `AbortSignal.any`
 * keeps every request's signal alive as long as the process on Node 20).
 */
export class Drain {
  private started = false;
  private readonly inProgress = new Set<Response>();
  private readonly held = new Set<AbortController>();

  /** True once the drain has begun: readiness fails so load balancers stop sending requests. */
  get draining(): boolean {
    return this.started;
  }

  /** Middleware: knows every response in progress, to mark it `Connection: close` on drain. */
  readonly track: RequestHandler = (_req, res, next) => {
    if (this.started) res.setHeader('Connection', 'close');
    else {
      this.inProgress.add(res);
      res.on('close', () => this.inProgress.delete(res));
    }
    next();
  };

  /**
   * A signal for a held request: aborted when its client goes away before the answer, or when
   * the drain begins. Call it before any await: the client may leave at any point. A request
   * that holds nothing (no wait asked) needs none: see {@link NOT_HELD}.
   */
  hold(res: Response): AbortSignal {
    const controller = new AbortController();
    if (this.started) {
      controller.abort();
      return controller.signal;
    }
    this.held.add(controller);
    res.on('close', () => {
      this.held.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    return controller.signal;
  }

  /** Begins the drain: held requests answer now, responses still to come close their socket. */
  start(): void {
    this.started = true;
    for (const res of this.inProgress) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    for (const controller of this.held) controller.abort();
  }
}

/** The signal of a request that holds nothing: it never aborts. */
export const NOT_HELD: AbortSignal = new AbortController().signal;
