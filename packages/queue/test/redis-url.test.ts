import { redisUrlForDisplay } from '../src';

test.each([
  ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ['redis://:s3cret@redis:6379/2', 'redis://:***@redis:6379/2'],
  ['rediss://app:s3cret@redis.example.com:6380', 'rediss://app:***@redis.example.com:6380'],
  ['redis://app@redis:6379', 'redis://app@redis:6379'],
  ['redis://redis:6379?password=s3cret&db=1', 'redis://redis:6379?password=***&db=1'],
  ['redis://:s3cret@[::1', 'redis://…'],
  ['s3cret', '(unparsable URL)'],
])('%s → %s', (url, shown) => {
  expect(redisUrlForDisplay(url)).toBe(shown);
});
