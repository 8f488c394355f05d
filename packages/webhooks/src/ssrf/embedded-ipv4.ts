import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** An IPv4 address carried inside an IPv6 one, and the mechanism that carries it. */
export interface EmbeddedIPv4 {
  readonly via: string;
  readonly address: IPv4;
}

/** Builds an IPv4 from two 16-bit IPv6 groups (high, low). */
function fromGroups(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The 64:ff9b::/96 well-known NAT64 prefix; the only NAT64 form with a fixed embedding spot. */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/**
 * The IPv4 addresses a packet to `address` may end up at, for the IPv6 forms that translate or
 * tunnel to IPv4. Those must be judged as IPv4: `::ffff:127.0.0.1` is loopback on a dual-stack
 * socket, and NAT64/6to4/Teredo gateways forward to the embedded address.
 *
 * @returns `undefined` when the range embeds nothing; `[]` when it embeds an address at a spot
 *   we cannot know (the local-use NAT64 prefix 64:ff9b:1::/48 allows several prefix lengths), so
 *   the caller must refuse it.
 */
export function embeddedIPv4(address: IPv6): EmbeddedIPv4[] | undefined {
  const p = address.parts;
  switch (address.range()) {
    case 'ipv4Mapped':
      return [{ via: 'IPv4-mapped', address: address.toIPv4Address() }];
    case 'rfc6145':
      // ::ffff:0:a.b.c.d (SIIT): the low 32 bits are the IPv4 address.
      return [{ via: 'IPv4-translated', address: fromGroups(p[6]!, p[7]!) }];
    case 'rfc6052':
      if (!address.match(NAT64_WELL_KNOWN)) return [];
      return [{ via: 'NAT64', address: fromGroups(p[6]!, p[7]!) }];
    case '6to4':
      // 2002:AABB:CCDD::/48 tunnels to the IPv4 relay AA.BB.CC.DD.
      return [{ via: '6to4', address: fromGroups(p[1]!, p[2]!) }];
    case 'teredo':
      // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC: server in clear, client obfuscated by XOR.
      return [
        { via: 'Teredo server', address: fromGroups(p[2]!, p[3]!) },
        { via: 'Teredo client', address: fromGroups(p[6]! ^ 0xffff, p[7]! ^ 0xffff) },
      ];
    default:
      return undefined;
  }
}
