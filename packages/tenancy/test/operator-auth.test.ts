import {
  authorizeOperator,
  OPERATOR_CHALLENGE,
  operatorCredential,
  operatorScrapeGate,
  scrapeAccess,
} from '../src';

const tokens = { admin: 'a'.repeat(24), viewer: 'v'.repeat(24) };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test.each<[string | undefined, ReturnType<typeof authorizeOperator>]>([
  [`Bearer ${tokens.admin}`, { kind: 'operator', role: 'admin' }],
  [`bearer ${tokens.viewer}`, { kind: 'operator', role: 'viewer' }],
  [basic('admin', tokens.admin), { kind: 'operator', role: 'admin' }],
  [basic('admin', tokens.viewer), { kind: 'operator', role: 'viewer' }],
  [basic('viewer', tokens.viewer), { kind: 'operator', role: 'viewer' }],
  [basic('root', tokens.admin), { kind: 'missing' }],
  [basic('admin', 'wrong'), { kind: 'invalid' }],
  [`Bearer ${tokens.admin}x`, { kind: 'invalid' }],
  ['Bearer sy_live_0123456789abcdefghij', { kind: 'tenant_key' }],
  [undefined, { kind: 'missing' }],
  ['', { kind: 'missing' }],
  ['Bearer', { kind: 'missing' }],
  ['Digest abc', { kind: 'missing' }],
  ['Basic !!!not-base64', { kind: 'missing' }],
])('%j → %j', (header, expected) => {
  expect(authorizeOperator(header, tokens)).toEqual(expected);
});

test('without a viewer token, the viewer role does not exist', () => {
  expect(authorizeOperator(`Bearer ${tokens.viewer}`, { admin: tokens.admin })).toEqual({
    kind: 'invalid',
  });
});

test('a Basic password may contain colons', () => {
  expect(operatorCredential(basic('admin', 'a:b:c'))).toBe('a:b:c');
});

test('the challenge names the realm browsers show', () => {
  expect(OPERATOR_CHALLENGE).toBe('Basic realm="Switchyard", charset="UTF-8"');
});

test('an unset token never matches, not even an empty password', () => {
  const empty = `Basic ${Buffer.from('admin:').toString('base64')}`;
  expect(authorizeOperator(empty, { admin: undefined, viewer: undefined })).toEqual({
    kind: 'invalid',
  });
  expect(authorizeOperator(basic('admin', 'x'), { admin: undefined })).toEqual({ kind: 'invalid' });
});

test('scrape access: any operator reads, a tenant key is forbidden, the rest must log in', () => {
  expect(scrapeAccess(`Bearer ${tokens.viewer}`, tokens)).toBe('allowed');
  expect(scrapeAccess(`Bearer ${tokens.admin}`, tokens)).toBe('allowed');
  expect(scrapeAccess('Bearer sy_live_0123456789abcdefghij', tokens)).toBe('forbidden');
  expect(scrapeAccess('Bearer nope', tokens)).toBe('missing');
  expect(scrapeAccess(undefined, tokens)).toBe('missing');
});

test("an ops server's gate: the scrape rule and the browser's Basic challenge", () => {
  const gate = operatorScrapeGate(tokens);
  expect(gate.challenge).toBe(OPERATOR_CHALLENGE);
  expect(gate.access(`Bearer ${tokens.viewer}`)).toBe('allowed');
  expect(gate.access('Bearer sy_live_0123456789abcdefghij')).toBe('forbidden');
  expect(gate.access(undefined)).toBe('missing');
});
