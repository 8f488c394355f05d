/**
 * Everything a scenario starts, stopped in reverse order however the scenario ends, so a
 * failure half-way through start-up leaves no Redis or simulator running.
 */
export class Scope {
  private readonly stops: Array<() => Promise<void>> = [];

  /** Registers `resource` to be stopped with `stop` when the scope closes; returns it. */
  add<T>(resource: T, stop: (resource: T) => Promise<void> | void): T {
    this.stops.push(async () => stop(resource));
    return resource;
  }

  async close(): Promise<void> {
    for (const stop of this.stops.reverse()) {
      await stop().catch((error: unknown) => console.error('cleanup failed:', error));
    }
  }
}

/** Runs `body` with a scope that is always closed afterwards. */
export async function withScope<T>(body: (scope: Scope) => Promise<T>): Promise<T> {
  const scope = new Scope();
  try {
    return await body(scope);
  } finally {
    await scope.close();
  }
}
