import { http, startStack, type Stack, type TenantHandle } from '../src';

let stack: Stack;
let tenant: TenantHandle;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  tenant = await stack.tenant();
});
afterAll(() => stack.close());

const submit = (webhook: string) =>
  http(`${stack.api.url}/v1/jobs`, {
    token: tenant.apiKey,
    body: {
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'Hook me' }] },
      webhook,
    },
  });

test.each([
  ['http://127.0.0.1/h', 'webhook URL address 127.0.0.1 is not public (loopback)'],
  [
    'http://2130706433/h',
    'webhook URL host "2130706433" is a non-standard IPv4 encoding of 127.0.0.1; write the address as a dotted quad',
  ],
  [
    'http://169.254.169.254/latest',
    'webhook URL address 169.254.169.254 is not public (linkLocal)',
  ],
  [
    'http://localhost:8080/h',
    'webhook URL host "localhost" is not public (.localhost names are local-only)',
  ],
])('a job with webhook %s is refused at submit: 400 saying why', async (webhook, reason) => {
  const answer = await submit(webhook);
  expect(answer.status).toBe(400);
  expect(answer.body.error).toMatchObject({
    type: 'invalid_request',
    message: `The ${reason}.`,
    details: [{ path: 'body.webhook', message: reason }],
  });
});

test('a scheme other than http(s) is refused by the schema itself', async () => {
  const answer = await submit('ftp://example.com/h');
  expect(answer.status).toBe(400);
  expect(answer.body.error.details).toEqual([
    { path: 'body.webhook', message: 'must be an http or https URL' },
  ]);
});

test('a public https webhook is accepted', async () => {
  const answer = await submit('https://hooks.example.com/switchyard');
  expect([answer.status, answer.body.status]).toEqual([202, 'queued']);
});
