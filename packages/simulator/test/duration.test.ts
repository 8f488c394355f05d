import { formatGoDuration, parseDuration } from '../src/duration';

describe('durations', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [250, '250ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1250, '1.25s'],
    [60_000, '1m0s'],
    [61_005, '1m1.005s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
    [5_430_000, '1h30m30s'],
  ])('formats %d ms like Go: %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it.each([
    ['800ms', 800],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['120', 120],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[''], ['fast'], ['1x'], ['s'], ['-1s']])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
