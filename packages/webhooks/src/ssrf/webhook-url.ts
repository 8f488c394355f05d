import ipaddr from 'ipaddr.js';
import { addressRefusal } from './address-policy';
import { localNameRefusal } from './local-names';
import { rawHostOf } from './raw-host';

/** What a webhook URL may reach. */
export interface SsrfOptions {
  /** Allow loopback/private/link-local targets and local names (development, self-hosting). */
  readonly allowPrivate: boolean;
}

/** The outcome of {@link checkWebhookUrl}: the parsed URL, or a reason fit for a 400 answer. */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const ALLOWED_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);

/** Strips the brackets `new URL()` keeps around IPv6 hostnames. */
function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * True when the URL parser produced an IPv4 address from text that was not a plain dotted
 * quad. Refused even with `allowPrivate`: no real webhook needs `0x7f.1`, and resolvers
 * disagree on such forms (inet_aton reads `0177` as octal, other parsers as decimal).
 */
function isOddIPv4Encoding(raw: string, hostname: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(hostname)) return false;
  const written = rawHostOf(raw);
  const canonical = written?.endsWith('.') ? written.slice(0, -1) : written;
  return canonical !== hostname;
}

/** Why the URL's host may not be a target, or `undefined`. */
function hostRefusal(raw: string, url: URL, options: SsrfOptions): string | undefined {
  const host = unbracket(url.hostname);
  if (isOddIPv4Encoding(raw, url.hostname)) {
    return `host "${rawHostOf(raw) ?? host}" is a non-standard IPv4 encoding of ${host}; write the address as a dotted quad`;
  }
  if (options.allowPrivate) return undefined;
  if (ipaddr.isValid(host)) {
    const refusal = addressRefusal(host);
    return refusal === undefined ? undefined : `address ${host} is not public (${refusal})`;
  }
  const refusal = localNameRefusal(host);
  return refusal === undefined ? undefined : `host "${host}" is not public (${refusal})`;
}

/**
 * Submit-time check of a webhook URL: http(s) only, no credentials, and (unless
 * `allowPrivate`) a host that is neither a non-public IP literal nor a local-only name.
 *
 * This cannot see where a hostname resolves; the send path must still use
 * {@link guardedRequestOptions} so DNS answers are checked at connect time.
 *
 * @param raw - The URL as submitted.
 * @returns `{ ok: true, url }` or `{ ok: false, reason }` with a one-line reason for the caller.
 */
export function checkWebhookUrl(raw: string, options: SsrfOptions): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'webhook URL is not a valid absolute URL' };
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    return {
      ok: false,
      reason: `webhook URL scheme "${url.protocol}" is not allowed; use http: or https:`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'webhook URL must not contain credentials (user:password@)' };
  }
  const refusal = hostRefusal(raw, url, options);
  if (refusal !== undefined) return { ok: false, reason: `webhook URL ${refusal}` };
  return { ok: true, url };
}
