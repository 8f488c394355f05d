import { costUsd } from '../src';

test('cost is tokens times the per-million price, input and output apart', () => {
  // The contract's example: 812 in, 96 out on gpt-4o-mini ($0.15 / $0.60 per million).
  expect(costUsd({ inputPerMillion: 0.15, outputPerMillion: 0.6 }, 812, 96)).toBe(0.0001794);
  expect(costUsd({ inputPerMillion: 3, outputPerMillion: 15 }, 1_000_000, 1_000_000)).toBe(18);
});

test('an unpriced model has an unknown cost, not zero', () => {
  expect(costUsd(undefined, 10, 10)).toBeNull();
});
