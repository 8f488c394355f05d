/**
 * A log destination that keeps each line's JSON in memory: what a test reads to check the
 * fields of the lines a piece of code logs (pass it as `createLogger`'s destination).
 */
export class MemoryLines {
  readonly lines: Array<Record<string, unknown>> = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
}
