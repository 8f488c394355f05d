import dns, { type LookupAddress } from 'node:dns';
import { type LookupFunction } from 'node:net';
import { addressRefusal } from './address-policy';
import { SsrfError } from './ssrf-error';

/**
 * Resolves a hostname to every address the system resolver returns. The seam exists so tests
 * can stand in for public DNS answers where there is no internet.
 */
export type Resolve = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/** Options of {@link createGuardedLookup}. */
export interface GuardedLookupOptions {
  /** Skip the public-address check (development, self-hosting); resolution is unchanged. */
  readonly allowPrivate: boolean;
  /** Defaults to `dns.promises.lookup(hostname, { all: true, family })`. */
  readonly resolve?: Resolve;
}

const systemResolve: Resolve = (hostname, family) =>
  dns.promises.lookup(hostname, { all: true, family });

/** Node accepts `'IPv4'`/`'IPv6'` for historical reasons; normalise to a number. */
function familyOf(family: dns.LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** Why the answer for `hostname` is refused, or `undefined` when every address is public. */
function answerRefusal(hostname: string, addresses: readonly LookupAddress[]): string | undefined {
  for (const { address } of addresses) {
    const refusal = addressRefusal(address);
    if (refusal !== undefined) {
      return `host "${hostname}" resolves to ${address}, which is not public (${refusal})`;
    }
  }
  return undefined;
}

/**
 * Resolves, checks, and hands back exactly what was checked. Every address must be public, not
 * just the first: the socket may fall back to another one (happy eyeballs), and a mixed answer
 * is a classic rebinding trick.
 */
async function resolveChecked(
  hostname: string,
  family: 0 | 4 | 6,
  options: GuardedLookupOptions,
): Promise<LookupAddress[]> {
  const addresses = await (options.resolve ?? systemResolve)(hostname, family);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  if (!options.allowPrivate) {
    const refusal = answerRefusal(hostname, addresses);
    if (refusal !== undefined) throw new SsrfError(refusal);
  }
  return addresses;
}

/**
 * A drop-in for the `lookup` option of `net.connect`, `http.request` and `http.Agent`.
 *
 * The socket connects to the address this function returns, so checking here leaves no window
 * between check and use for DNS rebinding (unlike resolving once to validate and letting the
 * socket resolve again). Refusals reach the callback as an {@link SsrfError} (`code: 'ESSRF'`),
 * which Node emits as the request's `error`.
 *
 * Node does not call `lookup` for IP-literal hosts: check those with
 * {@link guardedRequestOptions} / {@link assertPublicTarget} before connecting.
 */
export function createGuardedLookup(options: GuardedLookupOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveChecked(hostname, familyOf(lookupOptions.family), options).then(
      (addresses) => {
        if (lookupOptions.all === true) {
          callback(null, addresses);
          return;
        }
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), '');
      },
    );
  };
}
