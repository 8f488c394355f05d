import { InvalidRequestError } from '@switchyard/core';

/** Longest hold of a long-poll or `Prefer: wait`, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/** `?wait=N`: an integer 0..60, else 400 (an explicit parameter out of range is a mistake). */
export function waitFromQuery(value: unknown): number {
  if (value === undefined) return 0;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > MAX_WAIT_SECONDS) {
    throw new InvalidRequestError(
      `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.`,
      [{ path: 'query.wait', message: `must be an integer between 0 and ${MAX_WAIT_SECONDS}` }],
    );
  }
  return Number(text);
}

/**
 * `Prefer: wait=N` (RFC 7240): a preference, so an unreadable one is ignored and a long one is
 * honoured up to the maximum rather than refused.
 */
export function waitFromPrefer(header: string | undefined): number {
  const match = header ? /(?:^|[\s,;])wait=(\d+)/i.exec(header) : null;
  return match ? Math.min(Number(match[1]), MAX_WAIT_SECONDS) : 0;
}
