/** Counters for the simulator itself. */
export interface SimulatorStats {
  /** Completion requests received since start or the last reset (control endpoints are not counted). */
  requests: number;
  /**
   * Of those, the ones whose connection is still open. Requests from before a reset are not
   * counted, so one test's abandoned hang cannot leak into the next test's numbers.
   */
  inFlight: number;
  /** Highest `inFlight` seen since start or the last reset. */
  maxInFlight: number;
  /** Calls by status: `"200"`, `"429"`, …, `"hang"`, `"reset"`. */
  byStatus: Record<string, number>;
  /** Calls by `CallRecord.fault`. */
  byFault: Record<string, number>;
}

export class StatsCounter {
  /** Bumped by reset(); a request only counts against the generation it started in. */
  private generation = 0;
  private requests = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private byStatus = new Map<string, number>();
  private byFault = new Map<string, number>();

  /** Returns the token to pass to end() and record(). */
  begin(): number {
    this.requests++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    return this.generation;
  }

  end(token: number): void {
    if (token === this.generation) this.inFlight--;
  }

  record(token: number, status: number | string, fault: string | null): void {
    if (token !== this.generation) return;
    const key = String(status);
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    if (fault !== null) this.byFault.set(fault, (this.byFault.get(fault) ?? 0) + 1);
  }

  reset(): void {
    this.generation++;
    this.requests = 0;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.byStatus.clear();
    this.byFault.clear();
  }

  snapshot(): SimulatorStats {
    return {
      requests: this.requests,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      byStatus: Object.fromEntries(this.byStatus),
      byFault: Object.fromEntries(this.byFault),
    };
  }
}
