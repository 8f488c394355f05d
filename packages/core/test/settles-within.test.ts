import { settlesWithin } from '../src';

test('true once the work settles, whether it succeeds or fails', async () => {
  expect(await settlesWithin(Promise.resolve(1), 1_000)).toBe(true);
  expect(await settlesWithin(Promise.reject(new Error('no')), 1_000)).toBe(true);
});

test('false when the time is up first; a later rejection is not unhandled', async () => {
  let fail!: (error: Error) => void;
  const late = new Promise((_resolve, reject) => (fail = reject));
  expect(await settlesWithin(late, 10)).toBe(false);
  fail(new Error('too late')); // jest would report an unhandled rejection here
});
