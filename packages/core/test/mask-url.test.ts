import { maskUrlPassword } from '../src';

test.each([
  ['redis://:s3cret@redis.internal:6379/0', 'redis://:***@redis.internal:6379/0'],
  ['rediss://default:s3cret@redis.example.com:6380', 'rediss://default:***@redis.example.com:6380'],
  ['redis://app:p%40ss@10.0.0.5:6379', 'redis://app:***@10.0.0.5:6379'],
  [
    'redis://redis.internal:6379?password=s3cret&db=2',
    'redis://redis.internal:6379?password=***&db=2',
  ],
  ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ['redis://app@redis.internal:6379', 'redis://app@redis.internal:6379'],
  ['s3cret', '(not a valid URL)'],
])('%s is printed as %s', (url, printed) => {
  expect(maskUrlPassword(url)).toBe(printed);
});
