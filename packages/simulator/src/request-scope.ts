import { type ServerResponse } from 'node:http';

/**
 * Owns the one pending timer of a request. When the client goes away (or close() destroys the
 * socket) the timer is cleared, so a disconnected request costs nothing and nothing keeps the
 * process alive.
 */
export class RequestScope {
  closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(res: ServerResponse, onClose: () => void) {
    res.once('close', () => {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      onClose();
    });
  }

  /** Runs `fn` after `ms` (synchronously when `ms` is 0) unless the request has closed. */
  later(ms: number, fn: () => void): void {
    if (this.closed) return;
    if (ms <= 0) {
      fn();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) fn();
    }, ms);
  }
}
