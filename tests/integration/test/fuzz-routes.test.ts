import { ErrorBody } from '@switchyard/core';
import fc from 'fast-check';
import {
  appRoutes,
  describe,
  type FuzzRequest,
  fuzzRequest,
  MAX_ECHO,
  type Stack,
  startStack,
  type TenantHandle,
} from '../src';

// Generated requests for every route of the API, read from its routers: whatever is sent, the
// answer comes in time, is never a 5xx (Redis is up throughout), every error is in the
// contract's JSON shape, and no piece of the input longer than MAX_ECHO characters comes back in
// an error (nor more than once in any answer). FC_SEED varies the seed, FC_REQUESTS the count; a
// failure prints both with the shrunk counterexample.

const SEED = Number(process.env.FC_SEED ?? 20261201);
/** About how many requests a run sends (FC_REQUESTS). */
const REQUESTS = Number(process.env.FC_REQUESTS ?? 4_000);
/** Most requests one generated case sends at once. */
const AT_ONCE = 8;
/** Longest any one request may take: the generated waits are at most 1 s. */
const REQUEST_TIMEOUT_MS = 5_000;
/** An error quotes a little of the input at most, so its body stays small whatever was sent. */
const MAX_ERROR_BYTES = 16_384;

let stack: Stack;
let tenant: TenantHandle;
let jobId: string;
beforeAll(async () => {
  stack = await startStack();
  tenant = await stack.tenant({ rpm: 1_000_000 });
  const job = await tenant.client.submit({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: 'Hi' }] },
  });
  jobId = job.job.id;
});
afterAll(() => stack.close());

/** Pieces of the input an echo would show: long runs of its text, at a few places each. */
function longPieces(request: FuzzRequest): string[] {
  const texts = [request.path, ...Object.values(request.headers)];
  if (request.body && !request.headers['content-encoding']) texts.push(request.body.toString());
  const decoded = texts.flatMap((text) => {
    try {
      return [text, decodeURIComponent(text)];
    } catch {
      return [text];
    }
  });
  const pieces: string[] = [];
  for (const text of decoded) {
    for (const run of text.match(new RegExp(`[^"\\\\/?&=%:{}\\[\\],]{${MAX_ECHO + 1},}`, 'gu')) ??
      []) {
      const middle = Math.floor((run.length - MAX_ECHO - 1) / 2);
      for (const at of [0, middle, run.length - MAX_ECHO - 1]) {
        pieces.push(run.slice(at, at + MAX_ECHO + 1));
      }
    }
  }
  return pieces;
}

function occurrences(text: string, piece: string): number {
  let count = 0;
  for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) count++;
  return count;
}

/** What is wrong with an answer, or `undefined`. */
function problemWith(request: FuzzRequest, response: Answer): string | undefined {
  if (response.status >= 500) return 'a 5xx';
  for (const piece of longPieces(request)) {
    const seen = occurrences(response.text, piece);
    if (response.status >= 400 && seen > 0) return `the error quotes ${JSON.stringify(piece)}`;
    if (seen > 1) return `the answer quotes ${JSON.stringify(piece)} ${seen} times`;
  }
  if (response.status < 400 || request.method === 'HEAD') return undefined;
  if (Buffer.byteLength(response.text) > MAX_ERROR_BYTES) return 'an error body over 16 KiB';
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return 'an error body that is not JSON';
  }
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return 'an error body not in the contract shape';
  if (parsed.data.error.request_id !== response.headers.get('x-request-id')) {
    return 'an error whose request_id is not its X-Request-Id';
  }
  return undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${stack.api.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

test('every route answers every generated request with a precise, bounded answer', async () => {
  const routes = appRoutes(stack.api.deps);
  // The routes a reader expects are all there: the walk reached every router.
  const paths = new Set(routes.map((route) => route.path));
  for (const path of [
    '/v1/jobs/:id',
    '/admin/tenants/:id',
    '/admin/keys/:key_prefix',
    '/healthz',
    '/readyz',
    '/metrics',
    '/docs',
    '/admin/queues/api/queues/:queueName/:jobId',
  ]) {
    expect(paths).toContain(path);
  }
  const created = await stack.admin.createTenant('fuzz-known');
  const targets = {
    routes,
    knownIds: [
      jobId,
      created.tenant.id,
      created.api_key.prefix,
      'jobs-interactive',
      'webhooks',
      'latest',
      'failed',
    ],
    tenantKey: tenant.apiKey,
    adminToken: stack.adminToken,
  };
  const statuses = new Map<number, number>();
  let sent = 0;
  // Each run sends a few requests at once: answers overlap, as under real traffic, and the
  // suite takes a fraction of the time. A failure shrinks to the one request at fault.
  await fc.assert(
    fc.asyncProperty(
      fc.array(fuzzRequest(targets), { minLength: 1, maxLength: AT_ONCE }),
      async (requests) => {
        const answers = await Promise.all(requests.map(send));
        for (const [index, request] of requests.entries()) {
          const response = answers[index]!;
          sent++;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const problem = problemWith(request, response);
          if (problem) {
            throw new Error(
              `${problem}\nrequest: ${describe(request)}\nanswer: ${response.status} ${response.text.slice(0, 400)}`,
            );
          }
        }
      },
    ),
    { seed: SEED, numRuns: Math.ceil(REQUESTS / ((1 + AT_ONCE) / 2)) },
  );
  const summary = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`);
  console.log(
    `fuzz: ${sent} requests over ${routes.length} routes, seed ${SEED} (${summary.join(', ')})`,
  );
  expect(sent).toBeGreaterThan(REQUESTS / 2);
}, 180_000);
