import fc from 'fast-check';

/** Names of Object.prototype's properties: a plain object keyed by input would find them. */
export const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__proto__',
];

/** Printable ASCII without the characters that end a path segment. */
export const segmentText = fc.string({
  unit: fc
    .integer({ min: 0x21, max: 0x7e })
    .map((code) => String.fromCharCode(code))
    .filter((c) => !'/?#'.includes(c)),
  maxLength: 40,
});
/** Header values: printable ASCII and spaces (fetch refuses anything else in a header). */
export const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 80,
});
/** A run of one character, ASCII or not, `min` to `max` long: what an echo would show. */
export const long = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom('a', 'x', 'é', '𝒳', 'k'), fc.integer({ min, max }))
    .map(([c, n]) => c.repeat(n));

/** Long header values: headers carry bytes, so only ASCII. */
export const longAscii = (min: number, max: number) =>
  fc
    .tuple(fc.constantFrom('a', 'x', 'k', '-'), fc.integer({ min, max }))
    .map(([c, n]) => c.repeat(n));
