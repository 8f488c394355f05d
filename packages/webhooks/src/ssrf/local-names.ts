/**
 * Names that never mean a public host: RFC 6761 `localhost`, mDNS `.local` (RFC 6762),
 * `.internal` (ICANN private-use, home of `metadata.google.internal`) and `.home.arpa`
 * (RFC 8375). Matched as the whole name or as its last labels.
 */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa'] as const;

/**
 * Says why `hostname` is a local-only name, or `undefined` when it may be public.
 * DNS at send time would catch most of these too (they resolve to private addresses); refusing
 * the name up front gives the submitter a clear 400 instead of a later delivery failure.
 *
 * @param hostname - A URL hostname (lower-case, IDNA-encoded, as `new URL()` yields it).
 */
export function localNameRefusal(hostname: string): string | undefined {
  // `localhost.` is the same name as `localhost` to a resolver.
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  for (const suffix of LOCAL_SUFFIXES) {
    if (name === suffix || name.endsWith(`.${suffix}`)) return `.${suffix} names are local-only`;
  }
  // Single-label names (`redis`, `metadata`) are completed with the resolver's search domains,
  // i.e. they name hosts inside the platform's own network.
  if (!name.includes('.')) return 'single-label names resolve only inside the local network';
  return undefined;
}
