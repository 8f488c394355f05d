/** Scheme, `:`, any slashes (WHATWG treats `\` as `/` for http), then the authority. */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:[\\/]*([^\\/?#]*)/i;

/**
 * The host exactly as the submitter wrote it, before `new URL()` rewrote it. Needed because
 * WHATWG URL parsing silently turns `2130706433`, `0177.0.0.1`, `0x7f.0.0.1` and `127.1` into
 * `127.0.0.1`; only the original text shows that an odd encoding was used.
 *
 * This does not parse addresses: it only cuts the authority text out, mirroring the URL
 * parser's stripping of tabs/newlines and surrounding whitespace so the two see the same text.
 *
 * @returns The host text without userinfo and port, or `undefined` if none could be cut out.
 */
export function rawHostOf(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- WHATWG strips exactly these code points.
  const cleaned = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const authority = AUTHORITY.exec(cleaned)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  return host.replace(/:\d*$/, '');
}
