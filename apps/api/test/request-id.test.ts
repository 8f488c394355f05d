import { MAX_REQUEST_ID_LENGTH, requestIdOf } from '../src/http/request-id';

/** What a generated ID looks like: `req_` and 128 random bits in base32, as newRequestId makes. */
const GENERATED = /^req_[0-9a-hjkmnp-tv-z]{26}$/;

test.each([
  'my-trace-123',
  '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  "tok!#$%&'*+-.^_`|~en",
  'x',
  'a'.repeat(MAX_REQUEST_ID_LENGTH),
])('a sane X-Request-Id is taken as it is: %s', (header) => {
  expect(requestIdOf(header)).toBe(header);
});

test.each([
  ['absent', undefined],
  ['empty', ''],
  ['over the length limit', 'a'.repeat(MAX_REQUEST_ID_LENGTH + 1)],
  ['with a space', 'my trace'],
  ['repeated (node joins them with ", ")', 'one, two'],
  ['a forged log field', 'x","level":60,"msg":"forged'],
  ['with a newline', 'a\nb'],
  ['with a control character', 'a\u0000b'],
  ['non-ASCII', 'trace-é'],
  ['with a slash or equals sign', 'a/b=c'],
  ['an array', ['one', 'two']],
])('an X-Request-Id that is %s is replaced by a new ID', (_case, header) => {
  const id = requestIdOf(header);
  expect(id).toMatch(GENERATED);
  expect(requestIdOf(header)).not.toBe(id);
});
