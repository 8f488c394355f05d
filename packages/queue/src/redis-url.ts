/**
 * A Redis URL fit for logs, banners and error lines: its password (`redis://user:pass@…`, or
 * ioredis's `?password=` option) replaced by `***`. A URL that does not parse is shown as its scheme only,
 * since whatever follows may hold the secret.
 */
export function redisUrlForDisplay(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
    return scheme ? `${scheme}//…` : '(unparsable URL)';
  }
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (name.toLowerCase() === 'password') parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}
