import { writeSync } from 'node:fs';

/**
 * Prints one case's summary line of figures on the terminal, apart from jest's own output, so a
 * run of `npm run test:faults` reads as the list of what each fault did.
 */
export function reportFigures(line: string): void {
  // Straight to the file descriptor: jest's reporter buffers `process.stdout.write` while several
  // files run and flushes on a timer, so the last file's line was lost when jest force-exited.
  writeSync(process.stdout.fd, `\n  FAULT ${line}\n`);
}

/** Seconds since `start` (a `performance.now()`), with one decimal. */
export function secondsSince(start: number): string {
  return ((performance.now() - start) / 1000).toFixed(1);
}
