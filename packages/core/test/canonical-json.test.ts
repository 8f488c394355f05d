import { canonicalJson, hashJson } from '../src';

test('key order does not change the canonical form, at any depth', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
    '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
  );
  expect(hashJson({ a: 1, b: 2 })).toBe(hashJson({ b: 2, a: 1 }));
});

test('array order and values do change it', () => {
  expect(hashJson([1, 2])).not.toBe(hashJson([2, 1]));
  expect(hashJson({ a: 1 })).not.toBe(hashJson({ a: '1' }));
});

test('undefined members are dropped as JSON drops them', () => {
  expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
});
