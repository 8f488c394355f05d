/**
 * Everything a scenario starts, stopped in reverse order however the scenario ends (success,
 * error, timeout, an unhandled rejection, SIGINT), so nothing it started outlives it.
 */
export class Scope {
  private readonly stops: Array<() => Promise<void>> = [];
  private readonly controller = new AbortController();

  /**
   * Aborted when the scope closes: loops that generate load stop on it, so a scenario that
   * failed half-way sends nothing more to the processes being stopped.
   */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Registers `resource` to be stopped with `stop` when the scope closes; returns it. */
  add<T>(resource: T, stop: (resource: T) => Promise<void> | void): T {
    this.stops.push(async () => stop(resource));
    return resource;
  }

  /**
   * A scope for part of a scenario, closed when `body` ends, or with this one if this one
   * closes first (the scenario failed while the part ran).
   */
  async part<T>(body: (scope: Scope) => Promise<T>): Promise<T> {
    const inner = this.add(new Scope(), (s) => s.close());
    try {
      return await body(inner);
    } finally {
      await inner.close();
    }
  }

  /** Aborts the signal, then stops everything added, last first; a failed stop is logged. */
  async close(): Promise<void> {
    this.controller.abort(new Error('scenario ended'));
    for (const stop of this.stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => console.error('cleanup failed:', error));
    }
  }
}
