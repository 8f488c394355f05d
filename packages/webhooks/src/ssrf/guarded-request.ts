import { type LookupFunction } from 'node:net';
import { createGuardedLookup, type Resolve } from './guarded-lookup';
import { SsrfError } from './ssrf-error';
import { checkWebhookUrl, type SsrfOptions } from './webhook-url';

/** Options of {@link guardedRequestOptions}. */
export interface GuardedRequestOptions extends SsrfOptions {
  /** Test seam passed to {@link createGuardedLookup}; defaults to the system resolver. */
  readonly resolve?: Resolve;
}

/**
 * Throws an {@link SsrfError} unless `url` passes {@link checkWebhookUrl}. This is the check
 * for IP-literal hosts, which Node connects to without calling any `lookup`.
 *
 * @returns The parsed URL, for the caller to hand to `http.request`.
 */
export function assertPublicTarget(url: URL | string, options: SsrfOptions): URL {
  const check = checkWebhookUrl(typeof url === 'string' ? url : url.href, options);
  if (!check.ok) throw new SsrfError(check.reason);
  return check.url;
}

/**
 * Everything a send needs to reach only public addresses: spread the result into the options of
 * `http.request`/`https.request` for this very URL:
 *
 * ```ts
 * http.request(url, { ...guardedRequestOptions(url, { allowPrivate }), method: 'POST' });
 * ```
 *
 * Throws an {@link SsrfError} synchronously for a refused URL (bad scheme, credentials,
 * non-public IP literal, local name); hostnames are checked at connect time by the returned
 * `lookup`. Redirects are not followed by Node; a caller that follows them must call this again
 * for each `Location`.
 */
export function guardedRequestOptions(
  url: URL | string,
  options: GuardedRequestOptions,
): { lookup: LookupFunction } {
  assertPublicTarget(url, options);
  return { lookup: createGuardedLookup(options) };
}
