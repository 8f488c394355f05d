/** Schemes of URLs the platform stores (webhook targets); other strings pass unchanged. */
const WEB_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * A URL as the board shows it: scheme, host and port, then `/[redacted]` if anything followed.
 * Webhook URLs are often capabilities: a password in the userinfo, a token in the query string,
 * or (Slack, Discord) the token as a path segment. The host is what an operator needs to see
 * which receiver is failing; the tenant sees the full URL in its own delivery log.
 */
export function redactUrl(text: string): string {
  if (!URL.canParse(text)) return text;
  const url = new URL(text);
  if (!WEB_PROTOCOLS.has(url.protocol)) return text;
  const more = url.username || url.password || url.pathname !== '/' || url.search || url.hash;
  return more ? `${url.origin}/[redacted]` : url.origin;
}

/**
 * Queue item data with every string that is a web URL redacted, at any depth. It looks at values,
 * not at field names, so a field the dispatcher renames or adds is still covered.
 */
export function redactUrls(value: unknown): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map(redactUrls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactUrls(item)]));
  }
  return value;
}
