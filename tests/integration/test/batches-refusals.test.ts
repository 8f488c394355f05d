import { http, startStack, type Stack, type TenantHandle } from '../src';

// What POST /v1/batches refuses, and how precisely it says why.
let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({
    config: { retry: { max_attempts: 1, base_delay: 10, max_delay: 50 } },
  });
  tenant = await stack.tenant({ rpm: 100_000 });
});
afterAll(() => stack.close());

let n = 0;
/** A prompt no other test sends, so no answer comes from the cache. */
const prompt = (text: string) => `${text} #${++n}-${Date.now()}`;
const item = (customId: string, content = prompt('Hi'), extra: object = {}) => ({
  custom_id: customId,
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user', content }] },
  ...extra,
});
const post = (body: unknown, headers: Record<string, string> = {}, token = tenant.apiKey) =>
  http(`${stack.api.url}/v1/batches`, {
    token,
    headers,
    body: typeof body === 'string' ? body : (body as object),
  });
const postJsonl = (text: string, query = '') =>
  http(`${stack.api.url}/v1/batches${query}`, {
    token: tenant.apiKey,
    method: 'POST',
    headers: { 'Content-Type': 'application/jsonl' },
    body: text,
  });

describe('refusals name what is wrong', () => {
  const expectError = (
    answer: { status: number; body: any },
    status: number,
    detail?: { path: string; message: RegExp },
  ) => {
    expect(answer.status).toBe(status);
    expect(typeof answer.body.error.message).toBe('string');
    if (detail) {
      expect(answer.body.error.details[0].path).toBe(detail.path);
      expect(answer.body.error.details[0].message).toMatch(detail.message);
    }
  };

  test('a duplicate custom_id names it and both places', async () => {
    const answer = await post({ requests: [item('x'), item('y'), item('x')] });
    expectError(answer, 400, { path: 'body.requests.2.custom_id', message: /requests\.0/ });
    expect(answer.body.error.message).toContain('"x"');
  });

  test('a bad JSON item names its index and field', async () => {
    const answer = await post({ requests: [item('ok'), { custom_id: 'bad', input: {} }] });
    expectError(answer, 400, { path: 'body.requests.1.model', message: /./ });
  });

  test('an unknown model names the item', async () => {
    const answer = await post({
      requests: [item('ok'), item('nope', 'x', { model: 'nope/nope' })],
    });
    expectError(answer, 400, { path: 'body.requests.1.model', message: /not a model/ });
  });

  test('a JSONL line that is not JSON, or not a batch line, is named by its number', async () => {
    const good = JSON.stringify({
      custom_id: 'g',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expectError(await postJsonl(`${good}\n\n{not json\n`), 400, {
      path: 'line 3',
      message: /not valid JSON/,
    });
    const wrongUrl = good.replace('/v1/chat/completions', '/v1/embeddings');
    expectError(await postJsonl(`${good}\n${wrongUrl}\n`), 400, {
      path: 'line 2.url',
      message: /./,
    });
    const duplicate = await postJsonl(`${good}\n${good}\n`);
    expectError(duplicate, 400, { path: 'line 2.custom_id', message: /line 1/ });
    expectError(await postJsonl(''), 400);
  });

  test('more than 10,000 requests is 400, in either format', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ custom_id: `m${i}` }));
    expectError(await post({ requests: many }), 400, {
      path: 'body.requests',
      message: /more than 10000/,
    });
    const line = (i: number) =>
      JSON.stringify({
        custom_id: `m${i}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      });
    const file = Array.from({ length: 10_001 }, (_, i) => line(i)).join('\n');
    expectError(await postJsonl(file), 400, { path: 'body', message: /more than 10000/ });
  });

  test('a body in another media type is 415; a webhook in the query of a JSON batch is 400', async () => {
    const answer = await http(`${stack.api.url}/v1/batches`, {
      token: tenant.apiKey,
      headers: { 'Content-Type': 'text/csv' },
      body: 'a,b',
    });
    expectError(answer, 415);
    expect(answer.body.error.message).toContain('application/jsonl');
    const query = await http(`${stack.api.url}/v1/batches?webhook=https://example.com/h`, {
      token: tenant.apiKey,
      body: { requests: [item('q')] },
    });
    expectError(query, 400, { path: 'query.webhook', message: /unknown field/ });
  });

  test('a webhook to a private address is refused where it was given', async () => {
    expectError(await post({ requests: [item('p')], webhook: 'http://127.0.0.1/hook' }), 400, {
      path: 'body.webhook',
      message: /./,
    });
    const line = JSON.stringify({
      custom_id: 'p',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expectError(await postJsonl(line, '?webhook=http://10.0.0.1/hook'), 400, {
      path: 'query.webhook',
      message: /./,
    });
  });

  test('jobs keep their 1 MiB limit while a batch takes more', async () => {
    const big = 'x'.repeat(1_100_000);
    const job = await http(`${stack.api.url}/v1/jobs`, {
      token: tenant.apiKey,
      body: { model: 'openai/gpt-4o-mini', input: { messages: [{ role: 'user', content: big }] } },
    });
    expect(job.status).toBe(413);
    const batch = await post({ requests: [item('big', big)] });
    expect(batch.status).toBe(202);
  });
});
