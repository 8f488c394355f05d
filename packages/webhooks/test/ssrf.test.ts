import http from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  checkWebhookUrl,
  createGuardedLookup,
  guardedRequestOptions,
  SsrfError,
  type GuardedRequestOptions,
} from '../src/ssrf';

/** Two loopback listeners (IPv4 and IPv6) on one port, counting every accepted connection. */
interface Listener {
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}

async function listen(server: http.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function startListener(): Promise<Listener> {
  let count = 0;
  const servers = [0, 1].map(() => {
    const server = http.createServer((_req, res) => res.end('ok'));
    server.on('connection', () => {
      count += 1;
    });
    return server;
  });
  const port = await listen(servers[0]!, '127.0.0.1', 0);
  await listen(servers[1]!, '::1', port);
  return {
    port,
    connections: () => count,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

type Outcome = { error: Error } | { status: number };

/** Sends a real GET through the guard; `agent: false` so no pooled socket hides a connection. */
async function attempt(url: string, options: GuardedRequestOptions): Promise<Outcome> {
  let request: http.ClientRequest;
  try {
    request = http.request(url, { ...guardedRequestOptions(url, options), agent: false });
  } catch (error) {
    return { error: error as Error };
  }
  return send(request);
}

async function send(request: http.ClientRequest): Promise<Outcome> {
  const outcome = await new Promise<Outcome>((resolve) => {
    request.on('error', (error) => resolve({ error }));
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
    });
    request.end();
  });
  // Give a connection that slipped through time to be accepted and counted.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return outcome;
}

function expectSsrfError(outcome: Outcome, reason: string): void {
  expect('error' in outcome && outcome.error).toBeInstanceOf(SsrfError);
  expect(outcome).toEqual({ error: expect.objectContaining({ code: 'ESSRF', reason }) });
}

const PRIVATE = { allowPrivate: false } as const;
const ODD = (written: string): string =>
  `webhook URL host "${written}" is a non-standard IPv4 encoding of 127.0.0.1; write the address as a dotted quad`;

/** Cases that point at the loopback listener (`PORT` is replaced by its port). */
const LOOPBACK_CASES: readonly [string, string][] = [
  ['http://127.0.0.1:PORT/', 'webhook URL address 127.0.0.1 is not public (loopback)'],
  [
    'http://localhost:PORT/',
    'webhook URL host "localhost" is not public (.localhost names are local-only)',
  ],
  ['http://[::1]:PORT/', 'webhook URL address ::1 is not public (loopback)'],
  [
    'http://[::ffff:127.0.0.1]:PORT/',
    'webhook URL address ::ffff:7f00:1 is not public (IPv4-mapped 127.0.0.1 is loopback)',
  ],
  ['http://2130706433:PORT/', ODD('2130706433')],
  ['http://0177.0.0.1:PORT/', ODD('0177.0.0.1')],
  ['http://0x7f.0.0.1:PORT/', ODD('0x7f.0.0.1')],
  ['http://127.1:PORT/', ODD('127.1')],
  ['http://0.0.0.0:PORT/', 'webhook URL address 0.0.0.0 is not public (unspecified)'],
];

/** Cases elsewhere: refused before any socket exists, so nothing leaves the machine. */
const REMOTE_CASES: readonly [string, string][] = [
  ['http://169.254.169.254/', 'webhook URL address 169.254.169.254 is not public (linkLocal)'],
  ['http://10.0.0.1/', 'webhook URL address 10.0.0.1 is not public (private)'],
  ['http://100.64.0.1/', 'webhook URL address 100.64.0.1 is not public (carrierGradeNat)'],
  ['http://[fc00::1]/', 'webhook URL address fc00::1 is not public (uniqueLocal)'],
  ['ftp://example.com/', 'webhook URL scheme "ftp:" is not allowed; use http: or https:'],
  ['http://user:pw@example.com/', 'webhook URL must not contain credentials (user:password@)'],
];

describe('SSRF guard against a counting loopback listener', () => {
  let listener: Listener;
  beforeAll(async () => {
    listener = await startListener();
  });
  afterAll(async () => {
    await listener.close();
  });
  const at = (url: string): string => url.replace('PORT', String(listener.port));

  describe.each(LOOPBACK_CASES)('%s', (template, reason) => {
    it('checkWebhookUrl refuses with the exact reason', () => {
      expect(checkWebhookUrl(at(template), PRIVATE)).toEqual({ ok: false, reason });
    });

    it('a guarded request fails with the SSRF error and makes zero connections', async () => {
      const before = listener.connections();
      expectSsrfError(await attempt(at(template), PRIVATE), reason);
      expect(listener.connections() - before).toBe(0);
    });

    it('control: an unguarded request does reach the listener', async () => {
      const before = listener.connections();
      const outcome = await send(http.request(at(template), { agent: false }));
      expect(outcome).toEqual({ status: 200 });
      expect(listener.connections() - before).toBe(1);
    });
  });

  describe.each(REMOTE_CASES)('%s', (url, reason) => {
    it('checkWebhookUrl refuses with the exact reason', () => {
      expect(checkWebhookUrl(url, PRIVATE)).toEqual({ ok: false, reason });
    });

    it('a guarded request fails with the SSRF error and makes zero connections', async () => {
      const before = listener.connections();
      expectSsrfError(await attempt(url, PRIVATE), reason);
      expect(listener.connections() - before).toBe(0);
    });
  });

  it('allowPrivate: a request to the loopback listener succeeds with one connection', async () => {
    const before = listener.connections();
    const outcome = await attempt(at('http://127.0.0.1:PORT/'), { allowPrivate: true });
    expect(outcome).toEqual({ status: 200 });
    expect(listener.connections() - before).toBe(1);
  });

  it('allowPrivate: localhost resolves through the guarded lookup and connects once', async () => {
    const before = listener.connections();
    const outcome = await attempt(at('http://localhost:PORT/'), { allowPrivate: true });
    expect(outcome).toEqual({ status: 200 });
    expect(listener.connections() - before).toBe(1);
  });

  it('allowPrivate still refuses odd IPv4 encodings', () => {
    expect(checkWebhookUrl('http://2130706433/', { allowPrivate: true })).toEqual({
      ok: false,
      reason: ODD('2130706433'),
    });
  });

  it('real DNS: localhost via the guarded lookup alone fails with zero connections', async () => {
    const before = listener.connections();
    const request = http.request(at('http://localhost:PORT/'), {
      lookup: createGuardedLookup(PRIVATE),
      agent: false,
    });
    expectSsrfError(
      await send(request),
      'host "localhost" resolves to 127.0.0.1, which is not public (loopback)',
    );
    expect(listener.connections() - before).toBe(0);
  });

  it('a public-looking hostname that resolves to loopback is refused at connect time', async () => {
    const before = listener.connections();
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const outcome = await attempt(at('http://hooks.example.com:PORT/'), {
      allowPrivate: false,
      resolve,
    });
    expectSsrfError(
      outcome,
      'host "hooks.example.com" resolves to 127.0.0.1, which is not public (loopback)',
    );
    expect(listener.connections() - before).toBe(0);
  });

  it('the socket connects to exactly the address the lookup checked (pinning)', async () => {
    const before = listener.connections();
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    // The name does not exist in any DNS: reaching the listener proves the checked answer is
    // the one the socket used, with no second resolution to rebind.
    const outcome = await attempt(at('http://hooks.example.com:PORT/'), {
      allowPrivate: true,
      resolve,
    });
    expect(outcome).toEqual({ status: 200 });
    expect(listener.connections() - before).toBe(1);
  });
});

describe('checkWebhookUrl accepts public targets', () => {
  it.each([
    'http://93.184.215.14/',
    'https://93.184.215.14:8443/hook',
    'https://hooks.example.com/path?x=1',
    'https://[2606:4700::1]/',
  ])('%s', (raw) => {
    const check = checkWebhookUrl(raw, PRIVATE);
    expect(check).toEqual({ ok: true, url: new URL(raw) });
  });
});

describe('checkWebhookUrl refuses other local names and malformed input', () => {
  it.each([
    ['not a url', 'webhook URL is not a valid absolute URL'],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'webhook URL host "metadata.google.internal" is not public (.internal names are local-only)',
    ],
    [
      'http://api.localhost/',
      'webhook URL host "api.localhost" is not public (.localhost names are local-only)',
    ],
    [
      'http://LOCALHOST./',
      'webhook URL host "localhost." is not public (.localhost names are local-only)',
    ],
    [
      'http://redis:6379/',
      'webhook URL host "redis" is not public (single-label names resolve only inside the local network)',
    ],
    ['http://[::]/', 'webhook URL address :: is not public (unspecified)'],
    ['http://[fe80::1]/', 'webhook URL address fe80::1 is not public (linkLocal)'],
    ['http://255.255.255.255/', 'webhook URL address 255.255.255.255 is not public (broadcast)'],
    ['http://%31%32%37.0.0.1/', ODD('%31%32%37.0.0.1')],
    [
      'http://0x7f/',
      'webhook URL host "0x7f" is a non-standard IPv4 encoding of 0.0.0.127; write the address as a dotted quad',
    ],
    ['file:///etc/passwd', 'webhook URL scheme "file:" is not allowed; use http: or https:'],
    ['javascript:alert(1)', 'webhook URL scheme "javascript:" is not allowed; use http: or https:'],
    ['http://:pw@example.com/', 'webhook URL must not contain credentials (user:password@)'],
  ])('%s', (raw, reason) => {
    expect(checkWebhookUrl(raw, PRIVATE)).toEqual({ ok: false, reason });
  });

  it('allowPrivate accepts loopback, private and local names', () => {
    for (const raw of ['http://127.0.0.1/', 'http://10.0.0.1/', 'http://localhost:3000/']) {
      expect(checkWebhookUrl(raw, { allowPrivate: true })).toEqual({ ok: true, url: new URL(raw) });
    }
  });
});
