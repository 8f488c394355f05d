import { createLogger, type Logger } from '@switchyard/observability';

/** One captured line: its text as written and the JSON it holds. */
export interface LogLine {
  text: string;
  entry: Record<string, unknown>;
}

/**
 * Every line the stack's processes write at `info` and above, kept in memory through pino's
 * destination stream, so a test can read what an operator would: whole lines as text (for
 * "never appears" checks) and parsed (to find a line by its fields). Lines are written
 * synchronously, and a test waits for a line it expects with {@link waitFor}, never a sleep.
 */
export class LogCapture {
  readonly lines: LogLine[] = [];
  private waiters: Array<{ match: (line: LogLine) => boolean; wake: (line: LogLine) => void }> = [];

  /** A logger for the process `name` (`api`, `worker`, …) writing here. */
  logger(name: string): Logger {
    return createLogger(name, 'info', { write: (text: string) => this.add(text) });
  }

  /** Lines of the process `name` whose fields include `fields`. */
  find(name: string, fields: Record<string, unknown>): LogLine[] {
    return this.lines.filter((line) => line.entry.name === name && matches(line.entry, fields));
  }

  /** The first line of `name` with `fields`, as soon as it is written. */
  waitFor(name: string, fields: Record<string, unknown>): Promise<LogLine> {
    const match = (line: LogLine) => line.entry.name === name && matches(line.entry, fields);
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((wake) => this.waiters.push({ match, wake }));
  }

  private add(text: string): void {
    const line = { text, entry: JSON.parse(text) as Record<string, unknown> };
    this.lines.push(line);
    const woken = this.waiters.filter((waiter) => waiter.match(line));
    this.waiters = this.waiters.filter((waiter) => !woken.includes(waiter));
    for (const waiter of woken) waiter.wake(line);
  }
}

/** True when every field of `fields` is in `entry` with an equal value (nested objects too). */
function matches(entry: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  return Object.entries(fields).every(([key, value]) =>
    typeof value === 'object' && value !== null
      ? typeof entry[key] === 'object' &&
        entry[key] !== null &&
        matches(entry[key] as Record<string, unknown>, value as Record<string, unknown>)
      : entry[key] === value,
  );
}
