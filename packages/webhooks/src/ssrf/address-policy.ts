import ipaddr from 'ipaddr.js';
import { embeddedIPv4 } from './embedded-ipv4';

/** 2000::/3: the only IPv6 block IANA allocates for global unicast (besides the embeddings). */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** Why an IPv4 address is not public, or `undefined` if ipaddr.js calls it plain unicast. */
function ipv4Refusal(address: ipaddr.IPv4): string | undefined {
  const range = address.range();
  return range === 'unicast' ? undefined : range;
}

/** Why an IPv6 address is not public, or `undefined` if it is global unicast. */
function ipv6Refusal(address: ipaddr.IPv6): string | undefined {
  // A zone id only makes sense for scoped (link-local) addresses.
  if (address.zoneId !== undefined) return 'scoped (zone id)';
  const embedded = embeddedIPv4(address);
  if (embedded !== undefined) {
    if (embedded.length === 0) return `${address.range()} with an unknown embedding`;
    for (const { via, address: v4 } of embedded) {
      const refusal = ipv4Refusal(v4);
      if (refusal !== undefined) return `${via} ${v4.toString()} is ${refusal}`;
    }
    return undefined;
  }
  const range = address.range();
  if (range !== 'unicast') return range;
  // ipaddr.js calls everything it has no name for "unicast", including unallocated space and
  // the deprecated IPv4-compatible ::a.b.c.d; only 2000::/3 is actually routed globally.
  return address.match(GLOBAL_UNICAST_V6) ? undefined : 'not global unicast (outside 2000::/3)';
}

/**
 * Says why `address` must not be a webhook target, or `undefined` when it is public.
 *
 * Only canonical text is judged: a dotted quad (`127.0.0.1`, not `0177.0.0.1` or `2130706433`)
 * or an IPv6 address. Anything else is refused rather than guessed at, because resolvers and
 * URL parsers disagree on the odd forms.
 *
 * @param address - An IP address as text, e.g. from `dns.lookup` or a URL's hostname.
 * @returns A short phrase such as `loopback` or `IPv4-mapped 127.0.0.1 is loopback`.
 */
export function addressRefusal(address: string): string | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
    return ipv4Refusal(ipaddr.IPv4.parse(address));
  }
  if (ipaddr.IPv6.isValid(address)) return ipv6Refusal(ipaddr.IPv6.parse(address));
  return 'not a canonical IP address';
}

/**
 * True only for addresses that ipaddr.js puts in the `unicast` range (IPv6: also inside
 * 2000::/3), after unwrapping IPv4 embedded in IPv6 (mapped, SIIT, NAT64, 6to4, Teredo).
 * False for loopback, private, link-local (incl. 169.254.169.254), CGNAT, unique-local,
 * unspecified, broadcast, multicast, reserved/documentation and non-canonical text.
 */
export function isPublicAddress(address: string): boolean {
  return addressRefusal(address) === undefined;
}
