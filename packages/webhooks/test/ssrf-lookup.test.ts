import { type LookupAddress } from 'node:dns';
import { type LookupFunction } from 'node:net';
import { createGuardedLookup, SsrfError, type Resolve } from '../src/ssrf';

type LookupResult =
  | { error: NodeJS.ErrnoException }
  | { address: string | LookupAddress[]; family: number | undefined };

function callLookup(
  lookup: LookupFunction,
  hostname: string,
  all: boolean,
  family: 0 | 4 | 6 = 0,
): Promise<LookupResult> {
  return new Promise((resolve) => {
    lookup(hostname, { all, family }, (error, address, resultFamily) => {
      resolve(error ? { error } : { address, family: resultFamily });
    });
  });
}

/** A resolver that answers from a table, recording what it was asked. */
function fakeResolver(answers: LookupAddress[]): { resolve: Resolve; calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    resolve: async (hostname, family) => {
      calls.push([hostname, family]);
      return answers;
    },
  };
}

const PUBLIC_V4 = { address: '93.184.215.14', family: 4 };
const PUBLIC_V6 = { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 };

describe('createGuardedLookup', () => {
  it('real DNS: localhost resolves to loopback and is refused with ESSRF', async () => {
    const result = await callLookup(
      createGuardedLookup({ allowPrivate: false }),
      'localhost',
      true,
    );
    expect(result).toEqual({ error: expect.any(SsrfError) });
    expect(result).toEqual({
      error: expect.objectContaining({
        code: 'ESSRF',
        message: expect.stringMatching(
          /^SSRF guard: host "localhost" resolves to (127\.0\.0\.1|::1), which is not public \(loopback\)$/,
        ),
      }),
    });
  });

  it('real DNS with allowPrivate: localhost resolves normally', async () => {
    const result = await callLookup(
      createGuardedLookup({ allowPrivate: true }),
      'localhost',
      false,
    );
    expect(result).toEqual({
      address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
      family: expect.any(Number),
    });
  });

  it('real DNS: an odd numeric hostname is judged by what the resolver made of it', async () => {
    const result = await callLookup(
      createGuardedLookup({ allowPrivate: false }),
      '2130706433',
      true,
    );
    expect(result).toEqual({ error: expect.objectContaining({ code: 'ESSRF' }) });
  });

  it('returns all checked public addresses when options.all', async () => {
    const { resolve, calls } = fakeResolver([PUBLIC_V4, PUBLIC_V6]);
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await callLookup(lookup, 'hooks.example.com', true)).toEqual({
      address: [PUBLIC_V4, PUBLIC_V6],
      family: undefined,
    });
    expect(calls).toEqual([['hooks.example.com', 0]]);
  });

  it('returns the first checked address and its family without options.all', async () => {
    const { resolve, calls } = fakeResolver([PUBLIC_V6, PUBLIC_V4]);
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await callLookup(lookup, 'hooks.example.com', false, 6)).toEqual({
      address: PUBLIC_V6.address,
      family: 6,
    });
    expect(calls).toEqual([['hooks.example.com', 6]]);
  });

  it('refuses when ANY address is not public, even after a public one', async () => {
    const { resolve } = fakeResolver([PUBLIC_V4, { address: '169.254.169.254', family: 4 }]);
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await callLookup(lookup, 'rebind.example.com', false)).toEqual({
      error: expect.objectContaining({
        code: 'ESSRF',
        reason:
          'host "rebind.example.com" resolves to 169.254.169.254, which is not public (linkLocal)',
      }),
    });
  });

  it('refuses IPv4-mapped loopback in a DNS answer', async () => {
    const { resolve } = fakeResolver([{ address: '::ffff:127.0.0.1', family: 6 }]);
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await callLookup(lookup, 'mapped.example.com', true)).toEqual({
      error: expect.objectContaining({
        reason:
          'host "mapped.example.com" resolves to ::ffff:127.0.0.1, which is not public (IPv4-mapped 127.0.0.1 is loopback)',
      }),
    });
  });

  it('reports an empty answer as ENOTFOUND, not as success', async () => {
    const { resolve } = fakeResolver([]);
    const lookup = createGuardedLookup({ allowPrivate: false, resolve });
    expect(await callLookup(lookup, 'empty.example.com', true)).toEqual({
      error: expect.objectContaining({ code: 'ENOTFOUND' }),
    });
  });

  it('passes resolver failures through unchanged', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), {
      code: 'ENOTFOUND',
    });
    const lookup = createGuardedLookup({
      allowPrivate: false,
      resolve: () => Promise.reject(failure),
    });
    expect(await callLookup(lookup, 'nope.invalid', true)).toEqual({ error: failure });
  });
});
