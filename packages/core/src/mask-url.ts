/** What stands in for a password in a printed URL. */
export const MASK = '***';

/**
 * A URL fit to print in a banner, a log line or an error: its password, in the user info or as a
 * `password` query parameter (ioredis reads both), replaced by `***`. The host, port, user and
 * database stay, which is what a reader needs to tell which server is meant. Text that is not a
 * URL is not printed at all, as it may be the secret itself pasted in the wrong place.
 */
export function maskUrlPassword(raw: string): string {
  if (!URL.canParse(raw)) return '(not a valid URL)';
  const url = new URL(raw);
  if (url.password !== '') url.password = MASK;
  if (url.searchParams.has('password')) url.searchParams.set('password', MASK);
  return url.toString();
}
