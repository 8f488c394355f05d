import type { InvalidRequestError } from '@switchyard/core';
import { z } from 'zod';
import { firstProtoKey } from '../src/http/proto-keys';
import { MAX_DETAILS, parseOrThrow } from '../src/http/validate';

const Body = z.strictObject({
  name: z.string(),
  tags: z.record(z.string(), z.string()).optional(),
  list: z.array(z.number()).optional(),
});

function refusal(value: unknown): InvalidRequestError {
  try {
    parseOrThrow(Body, value, 'body');
  } catch (error) {
    return error as InvalidRequestError;
  }
  throw new Error('parsed');
}

test('the message states the first problem and counts the rest; details list each', () => {
  const error = refusal({ name: 1, list: ['a'] });
  expect(error.message).toBe(
    'Invalid request: body.name: Invalid input: expected string, received number (and 1 more problem, listed in details)',
  );
  expect(error.details).toEqual([
    { path: 'body.name', message: 'Invalid input: expected string, received number' },
    { path: 'body.list.0', message: 'Invalid input: expected number, received string' },
  ]);
});

test('an unknown key is one detail of its own, clipped, and never in zod’s message', () => {
  const key = 'k'.repeat(100_000);
  const error = refusal({ name: 'x', [key]: 1 });
  expect(error.details).toEqual([{ path: `body.${'k'.repeat(63)}…`, message: 'unknown field' }]);
  expect(JSON.stringify(error.details).length + error.message.length).toBeLessThan(400);
});

test('at most MAX_DETAILS problems are listed, whatever was sent', () => {
  const list = Array.from({ length: 1_000 }, () => 'not a number');
  const error = refusal({ name: 'x', list });
  expect(error.details).toHaveLength(MAX_DETAILS);
  expect(error.message).toMatch(/\(and 999 more problems, listed in details\)$/);
});

test('a __proto__ key the schema would drop silently is refused by name', () => {
  const value = JSON.parse('{"name": "x", "tags": {"__proto__": "y", "a": "b"}}');
  const error = refusal(value);
  expect(error.details).toEqual([
    { path: 'body.tags.__proto__', message: '"__proto__" is not accepted as a key' },
  ]);
});

test('firstProtoKey walks deep values without recursion', () => {
  const deep = JSON.parse(`${'['.repeat(50_000)}{"__proto__": 1}${']'.repeat(50_000)}`);
  expect(firstProtoKey(deep)).toHaveLength(50_001);
  expect(firstProtoKey({ a: [{ b: 'c' }] })).toBeUndefined();
  expect(firstProtoKey('text')).toBeUndefined();
});
