/** The `code` every SSRF refusal carries, so callers can tell it from ordinary network errors. */
export const SSRF_ERROR_CODE = 'ESSRF';

/**
 * A webhook target refused because it could reach the platform's own network (loopback,
 * private, link-local, metadata service, ...). Shaped like a Node errno error (`code`) because
 * it travels through `lookup` callbacks and socket `error` events.
 */
export class SsrfError extends Error {
  readonly code = SSRF_ERROR_CODE;

  /** @param reason - One line saying what was refused and why; also the message. */
  constructor(readonly reason: string) {
    super(`SSRF guard: ${reason}`);
    this.name = 'SsrfError';
  }
}
