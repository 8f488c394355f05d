import { clip, quoted } from '../src';

test('short text is kept; long text is cut to the limit, the cut marked', () => {
  expect(clip('abc')).toBe('abc');
  expect(clip('a'.repeat(64))).toBe('a'.repeat(64));
  expect(clip('a'.repeat(65))).toBe(`${'a'.repeat(63)}…`);
  expect(clip('a'.repeat(1_000_000), 10)).toBe(`${'a'.repeat(9)}…`);
});

test('a character of two UTF-16 units is never split', () => {
  const text = `${'a'.repeat(8)}𝒳${'b'.repeat(10)}`;
  expect(clip(text, 10)).toBe(`${'a'.repeat(8)}…`);
  expect(clip(`${'a'.repeat(7)}𝒳${'b'.repeat(10)}`, 10)).toBe(`${'a'.repeat(7)}𝒳…`);
});

test('quoted is the clipped text as a JSON string', () => {
  expect(quoted('say "hi"')).toBe('"say \\"hi\\""');
  expect(quoted('x'.repeat(100))).toBe(`"${'x'.repeat(63)}…"`);
});
