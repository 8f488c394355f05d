import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { JobRequestInput } from '@switchyard/core';
import { appRoutes, http, type Stack, startStack, type TenantHandle } from '../src';

// Each kind of bad input the property suite (fuzz-routes) generates at random, here one by one
// with its exact answer: a precise 4xx in the contract's shape, never a 500.

let stack: Stack;
let tenant: TenantHandle;
let jobsUrl: string;
beforeAll(async () => {
  // No worker: accepted jobs stay queued, which is all these tests need of them.
  stack = await startStack({
    worker: false,
    config: { routes: { unpriced: ['openai/gpt-4o-mini', 'openai/not-priced'] } },
  });
  tenant = await stack.tenant({ rpm: 1_000 });
  jobsUrl = `${stack.api.url}/v1/jobs`;
});
afterAll(() => stack.close());

const body: JobRequestInput = {
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content: 'Hi' }] },
};

type Response = Awaited<ReturnType<typeof http>>;

/** The contract's error: status, type, and the request ID of the answer. */
function expectError(response: Response, status: number, type: string): void {
  expect(response.status).toBe(status);
  expect(response.body.error.type).toBe(type);
  expect(response.body.error.request_id).toBe(response.headers.get('x-request-id'));
}

describe('a malformed percent-encoding in the path is 400 on every route that takes an ID', () => {
  const routes = () => appRoutes(stack.api.deps).filter((route) => route.path.includes('/:'));
  const tokenFor = (path: string) => (path.startsWith('/v1/') ? tenant.apiKey : stack.adminToken);

  test.each(['%E0%A4%A', '%', '%ff', '%C0%AF'])('%s', async (bad) => {
    const seen = routes();
    // Ours and Bull Board's, as the app's routers list them.
    expect(seen.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/v1/jobs/:id', '/admin/tenants/:id', '/admin/keys/:key_prefix']),
    );
    expect(seen.length).toBeGreaterThan(20);
    for (const route of seen) {
      const path = route.path.replace(/:\w+/g, bad);
      const response = await http(`${stack.api.url}${path}`, {
        method: route.method,
        token: tokenFor(path),
      });
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 400,
      });
      expectError(response, 400, 'invalid_request');
      expect(response.body.error.details).toEqual([
        { path: 'path', message: 'malformed percent-encoding' },
      ]);
    }
  });

  test('and so is a dot segment, which no client sends unless crafted', async () => {
    const response = await http(`${stack.api.url}/docs/assets/x%2f..%2fswagger-ui.css`);
    expectError(response, 400, 'invalid_request');
    expect(response.body.error.details).toEqual([{ path: 'path', message: 'dot segment' }]);
  });
});

describe('a model named like an Object.prototype property', () => {
  const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];

  test.each(NAMES)('%s is a precise 400, as the model and as a fallback', async (name) => {
    const asModel = await http(jobsUrl, { token: tenant.apiKey, body: { ...body, model: name } });
    expectError(asModel, 400, 'invalid_request');
    expect(asModel.body.error.message).toBe(
      `Invalid model: "${name}" is neither "provider/model" nor a configured route.`,
    );
    expect(asModel.body.error.details).toEqual([
      { path: 'body.model', message: 'not a model this API can serve' },
    ]);
    const asFallback = await http(jobsUrl, {
      token: tenant.apiKey,
      body: { ...body, fallbacks: ['openai/gpt-4o', `${name}/x`] },
    });
    expectError(asFallback, 400, 'invalid_request');
    expect(asFallback.body.error.details).toEqual([
      { path: 'body.fallbacks.1', message: 'not a model this API can serve' },
    ]);
  });

  test('__proto__ is refused by the schema (no name starts with "_")', async () => {
    const response = await http(jobsUrl, {
      token: tenant.apiKey,
      body: { ...body, model: '__proto__' },
    });
    expectError(response, 400, 'invalid_request');
    expect(response.body.error.details[0].path).toBe('body.model');
  });

  test('refused requests take no rate-limit token', async () => {
    const limited = await stack.tenant({ rpm: 1 });
    for (const name of NAMES) {
      const response = await http(jobsUrl, {
        token: limited.apiKey,
        body: { ...body, model: name },
      });
      expect(response.status).toBe(400);
    }
    expect((await http(jobsUrl, { token: limited.apiKey, body })).status).toBe(202);
    expectError(await http(jobsUrl, { token: limited.apiKey, body }), 429, 'rate_limited');
  });
});

describe('Content-Encoding', () => {
  const send = (encoding: string, bytes: Buffer) =>
    fetch(jobsUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tenant.apiKey}`,
        'Content-Type': 'application/json',
        'Content-Encoding': encoding,
      },
      body: bytes,
    }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as any,
    }));
  const json = Buffer.from(JSON.stringify(body));

  test.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('%s: a body compressed so is read, one that is not is 400', async (name, zip) => {
    expect((await send(name, zip(json))).status).toBe(202);
    for (const garbage of [json, Buffer.from('not compressed at all'), zip(json).subarray(0, 12)]) {
      const refused = await send(name, garbage);
      expectError(refused, 400, 'invalid_request');
      expect(refused.body.error.message).toBe(
        `The request body is not valid "${name}" data, as its Content-Encoding says.`,
      );
    }
  });

  test('an encoding the API does not know is 415', async () => {
    expectError(await send('x-unknown', json), 415, 'unsupported_media_type');
  });
});

test('a metadata key "__proto__" is refused by name, not dropped', async () => {
  const response = await http(jobsUrl, {
    token: tenant.apiKey,
    body: JSON.stringify(body).replace(/}$/, ',"metadata":{"__proto__":"x","order":"1"}}'),
    headers: { 'Content-Type': 'application/json' },
  });
  expectError(response, 400, 'invalid_request');
  expect(response.body.error.details).toEqual([
    { path: 'body.metadata.__proto__', message: '"__proto__" is not accepted as a key' },
  ]);
});

test('a megabyte unknown key comes back once, clipped to 64 characters', async () => {
  const key = 'k'.repeat(1_000_000);
  const response = await fetch(jobsUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, [key]: 1 }),
  });
  const text = await response.text();
  expect(response.status).toBe(400);
  expect(text.length).toBeLessThan(1_000);
  const clipped = `${'k'.repeat(63)}…`;
  expect(JSON.parse(text).error.details).toEqual([
    { path: `body.${clipped}`, message: 'unknown field' },
  ]);
  expect(JSON.parse(text).error.message).toBe(
    'Invalid request: a field named in details: unknown field',
  );
  expect(text.split('k'.repeat(63)).length - 1).toBe(1); // in the detail only
  expect(text).not.toContain('k'.repeat(64));
});

describe('every model must have a price', () => {
  test('an unpriced model, directly, as a fallback or in a route, is 400 naming it', async () => {
    const cases: Array<[Partial<JobRequestInput>, string, string]> = [
      [{ model: 'openai/made-up-model' }, 'body.model', 'openai/made-up-model'],
      [{ fallbacks: ['fast', 'openai/made-up-model'] }, 'body.fallbacks.1', 'openai/made-up-model'],
      [{ model: 'unpriced' }, 'body.model', 'openai/not-priced'],
    ];
    for (const [change, path, model] of cases) {
      const response = await http(jobsUrl, { token: tenant.apiKey, body: { ...body, ...change } });
      expectError(response, 400, 'invalid_request');
      expect(response.body.error.message).toBe(
        `Unpriced model: "${model}" has no price: give it input_per_million and ` +
          'output_per_million under `models` in the config file (docs/CONFIG.md), or accept ' +
          'unpriced models with pricing.allow_unpriced: true.',
      );
      expect(response.body.error.details).toEqual([
        { path, message: 'has no price in the config' },
      ]);
    }
  });

  test('allowed by the config, unpriced models run for tenants without a budget only', async () => {
    const lenient = await startStack({
      worker: false,
      redis: stack.redis,
      config: { pricing: { allow_unpriced: true } },
    });
    try {
      const unpriced = { ...body, model: 'openai/made-up-model' };
      const free = await lenient.tenant();
      expect(
        (await http(`${lenient.api.url}/v1/jobs`, { token: free.apiKey, body: unpriced })).status,
      ).toBe(202);
      const budgeted = await lenient.tenant({ monthly_budget_usd: 100 });
      const refused = await http(`${lenient.api.url}/v1/jobs`, {
        token: budgeted.apiKey,
        body: unpriced,
      });
      expectError(refused, 400, 'invalid_request');
      expect(refused.body.error.details).toEqual([
        { path: 'body.model', message: 'has no price, and this tenant has a monthly budget' },
      ]);
      expect(refused.body.error.message).toMatch(
        /^Unpriced model: "openai\/made-up-model" has no price and this tenant has a monthly budget/,
      );
    } finally {
      await lenient.close();
    }
  });
});

test("a request Node cannot parse (headers over 16 KiB) is answered in the contract's shape", async () => {
  const response = await http(`${stack.api.url}/healthz`, {
    headers: { 'X-Padding': 'p'.repeat(20_000) },
  });
  expect(response.status).toBe(431);
  expect(response.body).toEqual({
    error: {
      type: 'invalid_request',
      message: 'The request line and headers are larger than 16 KiB.',
      request_id: response.headers.get('x-request-id'),
    },
  });
});
