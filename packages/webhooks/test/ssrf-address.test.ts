import { addressRefusal, isPublicAddress } from '../src/ssrf';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'scoped (zone id)'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1 is loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped 169.254.169.254 is linkLocal'],
    ['::ffff:0:10.0.0.1', 'IPv4-translated 10.0.0.1 is private'],
    ['64:ff9b::127.0.0.1', 'NAT64 127.0.0.1 is loopback'],
    ['64:ff9b:1::a00:1', 'rfc6052 with an unknown embedding'],
    ['2002:7f00:1::1', '6to4 127.0.0.1 is loopback'],
    ['2002:a9fe:a9fe::', '6to4 169.254.169.254 is linkLocal'],
    // Teredo client 10.0.0.1 is stored XOR-ed: 0xf5ff:0xfffe.
    ['2001:0:5ef5:79fb:0:0:f5ff:fffe', 'Teredo client 10.0.0.1 is private'],
    ['::7f00:1', 'not global unicast (outside 2000::/3)'],
    ['2130706433', 'not a canonical IP address'],
    ['0177.0.0.1', 'not a canonical IP address'],
    ['127.1', 'not a canonical IP address'],
    ['example.com', 'not a canonical IP address'],
    ['', 'not a canonical IP address'],
  ])('%s is not public (%s)', (address, refusal) => {
    expect(isPublicAddress(address)).toBe(false);
    expect(addressRefusal(address)).toBe(refusal);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1',
    '::ffff:93.184.215.14',
    '64:ff9b::8.8.8.8',
    '2002:5db8:d70e::1',
  ])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
    expect(addressRefusal(address)).toBeUndefined();
  });
});
