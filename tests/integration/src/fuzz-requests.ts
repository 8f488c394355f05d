import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { AppRoute } from './app-routes';
import { bodyText } from './fuzz-bodies';
import { headerText, long, longAscii, PROTOTYPE_NAMES, segmentText } from './fuzz-text';

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

/** `null` two times in three: an odd part now and then, leaving the rest of a request to matter. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arbitrary });

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
