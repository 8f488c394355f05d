import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { AppRoute } from './app-routes';

/** What the generated requests may use that exists in the stack under test. */
export interface FuzzTargets {
  routes: readonly AppRoute[];
  /** IDs that exist: a job, a tenant, a key prefix, the queue names, so found paths run too. */
  knownIds: readonly string[];
  tenantKey: string;
  adminToken: string;
}

/** One generated request, as sent. */
export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** Longest piece of the input an error may quote (the API's MAX_ECHO_CHARS). */
export const MAX_ECHO = 64;

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
const BAD_ESCAPES = [
  '%',
  '%ff',
  '%E0%A4%A',
  '%C0%AF',
  '%zz',
  '%%',
  '%80',
  '%ED%A0%80',
  'a%2',
  '%00',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Printable ASCII without the characters that end a path segment. */
const segmentText = fc.string({
  unit: fc
    .integer({ min: 0x21, max: 0x7e })
    .map((code) => String.fromCharCode(code))
    .filter((c) => !'/?#'.includes(c)),
  maxLength: 40,
});
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 80,
});
const long = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom('a', 'x', 'é', '𝒳', 'k'), fc.integer({ min, max }))
    .map(([c, n]) => c.repeat(n));

/** `null` two times in three: an odd part now and then, leaving the rest of a request to matter. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arbitrary });

/** Long header values: headers carry bytes, so only ASCII. */
const longAscii = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom('a', 'x', 'k', '-'), fc.integer({ min, max }))
    .map(([c, n]) => c.repeat(n));

function segment(targets: FuzzTargets): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...targets.knownIds) },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_ESCAPES) },
    { weight: 2, arbitrary: segmentText },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent),
    },
    { weight: 1, arbitrary: longAscii(65, 3_000) },
    { weight: 1, arbitrary: long(65, 1_500).map(encodeURIComponent) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...targets.knownIds), fc.constantFrom(...BAD_ESCAPES))
        .map(([id, bad]) => id + bad),
    },
  );
}

const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          'wait',
          'limit',
          'cursor',
          'status',
          '__proto__',
          'constructor',
          'x',
          'a[b]',
          '%',
          'wait%',
        ),
        fc.oneof(
          fc.constantFrom(
            '0',
            '1',
            '61',
            '-1',
            'abc',
            '1e3',
            '',
            '%',
            '%ff',
            'queued',
            '100',
            '101',
          ),
          segmentText,
          long(65, 2_000),
        ),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`),
);

const MODELS = [
  'openai/gpt-4o-mini',
  'fast',
  'smart',
  'openai/made-up-model',
  'mistral/large',
  'openai/',
  '/x',
  ...PROTOTYPE_NAMES,
  ...PROTOTYPE_NAMES.map((name) => `${name}/model`),
  ...PROTOTYPE_NAMES.map((name) => `openai/${name}`),
];

/** A job body, right or wrong in one or several places. */
const jobBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODELS), segmentText, long(65, 300)),
    input: fc.oneof(
      fc.constant({ messages: [{ role: 'user', content: 'Hi' }] }),
      fc.record(
        {
          messages: fc.array(
            fc.record({
              role: fc.constantFrom('user', 'system', 'tool', '__proto__'),
              content: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constant([]), fc.integer()),
            }),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fallbacks: fc.array(fc.oneof(fc.constantFrom(...MODELS), segmentText), { maxLength: 6 }),
    webhook: fc.oneof(
      fc.constantFrom(
        'https://example.com/hook',
        'http://127.0.0.1/x',
        'ftp://x',
        'https://user:pw@example.com/',
      ),
      fc.webUrl(),
    ),
    priority: fc.constantFrom('interactive', 'batch', 'urgent'),
    cancel_after: fc.constantFrom('10m', '0s', '8d', 'soon', '1h30m'),
    metadata: fc.oneof(
      fc.dictionary(
        fc.oneof(segmentText, fc.constantFrom(...PROTOTYPE_NAMES), long(41, 200)),
        fc.oneof(fc.string(), long(400, 600)),
        { maxKeys: 5 },
      ),
      fc.constant(JSON.parse('{"__proto__": "x", "order": "1"}') as object),
    ),
  },
  { requiredKeys: ['model', 'input'] },
);

/** A job body that should be accepted: a priced model or route, and right optional fields. */
const validJob = fc.record(
  {
    model: fc.constantFrom(
      'openai/gpt-4o-mini',
      'fast',
      'smart',
      'anthropic/claude-3-5-haiku-latest',
    ),
    input: fc.record({
      messages: fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'assistant'),
          content: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fallbacks: fc.array(fc.constantFrom('openai/gpt-4o', 'fast'), { maxLength: 2 }),
    priority: fc.constantFrom('interactive', 'batch'),
    cache: fc.boolean(),
    cancel_after: fc.constantFrom('10m', '1h'),
    metadata: fc.dictionary(
      segmentText.filter((key) => key.length > 0 && key.length <= 40 && key !== '__proto__'),
      fc.string({ maxLength: 100 }),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['model', 'input'] },
);

/** A body as bytes: JSON of some shape, broken JSON, huge, deep, odd unicode, or nothing. */
function bodyText(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: jobBody.map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: validJob.map((body) => JSON.stringify(body)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(jobBody, long(65, 2_000))
        .map(([body, key]) => JSON.stringify({ ...body, [key]: 1 })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record(
          { name: fc.oneof(fc.string(), long(65, 400)), limits: fc.jsonValue({ maxDepth: 1 }) },
          { requiredKeys: [] },
        )
        .map((body) => JSON.stringify(body)),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__": {"x": 1}}',
        '{"constructor": 1}',
        '{"model": "constructor", "input": {"messages": [{"role": "user", "content": "x"}]}}',
        '"\\ud800"',
        '{"a": "\\udc00"}',
        '[',
        '{',
        '{"a":',
        'nul',
        '',
        ' ',
        '\u0000',
        '\ufeff{}',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 20_000 })
        .map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    },
    // Huge keys: mostly up to 100 KB, now and then over the 1 MiB limit (each one costs a
    // megabyte upload, and input-refusals sends the megabyte key of the issue anyway).
    {
      weight: 1,
      arbitrary: fc
        .oneof({ weight: 4, arbitrary: long(65, 100_000) }, long(1_000_000, 1_100_000))
        .map((text) => JSON.stringify({ [text]: 1 })),
    },
  );
}

const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=ebcdic',
    'application/json; charset=""',
    'application/json; charset',
    'application/json;;;',
    'application/merge-patch+json',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '*/*',
    ';',
  ),
  { weight: 1, arbitrary: headerText },
);

/** Content-Encoding, and whether the body is compressed as it says (else it is sent as is). */
const encoding = fc.record({
  name: fc.constantFrom(
    'gzip',
    'deflate',
    'br',
    'identity',
    'GZIP',
    'gzip, gzip',
    'x-unknown',
    'compress',
    ' ',
  ),
  valid: fc.boolean(),
});

function compress(name: string, text: string): Buffer {
  const bytes = Buffer.from(text);
  switch (name.toLowerCase()) {
    case 'gzip':
      return gzipSync(bytes);
    case 'deflate':
      return deflateSync(bytes);
    case 'br':
      return brotliCompressSync(bytes);
    default:
      return bytes;
  }
}

function authorization(targets: FuzzTargets): fc.Arbitrary<string | undefined> {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(`Bearer ${targets.tenantKey}`),
    fc.constant(`Bearer ${targets.adminToken}`),
    fc.constant(basic('admin', targets.adminToken)),
    fc.constant(basic('admin', targets.tenantKey)),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Basic',
      'Basic !!!',
      'Basic Og==',
      'Basic YWRtaW4=',
      'Digest x',
      'bearer sy_live_0000',
    ),
    headerText.map((text) => `Bearer ${text}`),
    headerText.map((text) => `Basic ${text}`),
  );
}

/** A request in a few lines, each long string shown by its start, its end and its length. */
export function describe(request: FuzzRequest): string {
  const short = (text: string) =>
    text.length <= 160
      ? JSON.stringify(text)
      : `${JSON.stringify(text.slice(0, 80))}…(${text.length} chars)…${JSON.stringify(text.slice(-40))}`;
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `${name}: ${short(value)}`,
  );
  const body =
    request.body === undefined ? 'no body' : `body ${short(request.body.toString('latin1'))}`;
  return `[${request.route}] ${request.method} ${short(request.path)} {${headers.join('; ')}} ${body}`;
}

/** Stands for the credential the route asks for, so most requests get past authentication. */
const RIGHT_AUTH = Symbol('right credential');

function rightAuth(targets: FuzzTargets, path: string): string | undefined {
  if (path.startsWith('/v1/')) return `Bearer ${targets.tenantKey}`;
  if (path.startsWith('/admin/') || path === '/metrics') return `Bearer ${targets.adminToken}`;
  return undefined;
}

/** Requests for every route: right and wrong methods, paths, queries, headers, bodies, auth. */
export function fuzzRequest(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      // Our own routes more often than Bull Board's many: they hold most of the logic.
      route: fc.oneof(
        ...targets.routes.map((route) => ({
          weight: route.path.startsWith('/admin/queues') ? 1 : 4,
          arbitrary: fc.constant(route),
        })),
      ),
      // Mostly the route's own method; now and then another one.
      otherMethod: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      segments: fc.array(segment(targets), { minLength: 4, maxLength: 4 }),
      suffix: fc.oneof(
        { weight: 6, arbitrary: fc.constant('') },
        fc.constantFrom('/', '/extra', '//', '/..%2f', '/%2e%2e', '%'),
      ),
      query,
      auth: fc.oneof(
        { weight: 3, arbitrary: fc.constant(RIGHT_AUTH) },
        { weight: 2, arbitrary: authorization(targets) },
      ),
      contentType: sometimes(contentType),
      encoding: sometimes(encoding),
      idempotencyKey: sometimes(
        fc.oneof(headerText, longAscii(256, 400), fc.constantFrom(...PROTOTYPE_NAMES)),
      ),
      requestId: sometimes(fc.oneof(headerText, longAscii(129, 300))),
      prefer: sometimes(fc.constantFrom('wait=1', 'wait=0', 'wait=abc', 'wait', 'respond-async')),
      body: bodyText(),
    })
    .map((pick) => {
      const segments = [...pick.segments];
      const path =
        pick.route.path.replace(/:\w+/g, () => segments.shift()!) + pick.suffix + pick.query;
      const method = pick.otherMethod ?? pick.route.method;
      const headers: Record<string, string> = {};
      const auth = pick.auth === RIGHT_AUTH ? rightAuth(targets, pick.route.path) : pick.auth;
      if (auth !== undefined) headers.authorization = auth;
      if (pick.idempotencyKey !== null) headers['idempotency-key'] = pick.idempotencyKey;
      if (pick.requestId !== null) headers['x-request-id'] = pick.requestId;
      if (pick.prefer !== null) headers.prefer = pick.prefer;
      // A GET or HEAD cannot carry a body in fetch.
      const text = method === 'GET' || method === 'HEAD' ? undefined : pick.body;
      let body: Buffer | undefined;
      if (text !== undefined) {
        headers['content-type'] = pick.contentType ?? 'application/json';
        body = Buffer.from(text);
        if (pick.encoding) {
          headers['content-encoding'] = pick.encoding.name;
          if (pick.encoding.valid) body = compress(pick.encoding.name, text);
        }
      }
      const request = {
        route: `${pick.route.method} ${pick.route.path}`,
        method,
        path,
        headers,
        body,
      };
      // A counterexample as fast-check prints it: long strings shortened, so a megabyte body
      // does not bury the report.
      return Object.assign(request, { [fc.toStringMethod]: () => describe(request) });
    });
}
