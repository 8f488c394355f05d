import { noUsage, type UsageCounters } from '@switchyard/tenancy';
import { summariseUsage } from '../src/services/usage-report';

const counters = (values: Partial<UsageCounters>): UsageCounters => ({ ...noUsage(), ...values });
const mini = 'openai/gpt-4o-mini';
const haiku = 'anthropic/claude-3-5-haiku-latest';
const byDay = new Map([
  ['2026-12-01', new Map()],
  [
    '2026-12-02',
    new Map([
      [
        mini,
        counters({
          jobs: 3,
          input_tokens: 30,
          output_tokens: 6,
          cost_nanos: 100_000_001,
          cached: 1,
          cost_saved_nanos: 50_000_000,
        }),
      ],
      [haiku, counters({ jobs: 1, input_tokens: 10, output_tokens: 2, cost_nanos: 1 })],
    ]),
  ],
  [
    '2026-12-03',
    new Map([[mini, counters({ jobs: 1, input_tokens: 10, cost_nanos: 200_000_002 })]]),
  ],
]);
const days = ['2026-12-01', '2026-12-02', '2026-12-03'];

test('per model: sorted by name, summed over days, money summed in nano-dollars', () => {
  expect(summariseUsage(byDay, { days, groupBy: 'model' })).toEqual({
    object: 'usage',
    from: '2026-12-01',
    to: '2026-12-03',
    group_by: 'model',
    data: [
      {
        model: haiku,
        requests: 1,
        input_tokens: 10,
        output_tokens: 2,
        cost_usd: 1e-9,
        cache_hits: 0,
        cost_saved_usd: 0,
      },
      {
        model: mini,
        requests: 4,
        input_tokens: 40,
        output_tokens: 6,
        // 0.1 + 0.2 in dollars would be 0.30000000000000004.
        cost_usd: 0.300000003,
        cache_hits: 1,
        cost_saved_usd: 0.05,
      },
    ],
    totals: {
      requests: 5,
      input_tokens: 50,
      output_tokens: 8,
      cost_usd: 0.300000004,
      cache_hits: 1,
      cost_saved_usd: 0.05,
    },
  });
});

test('per day: days with usage only, in date order', () => {
  const report = summariseUsage(byDay, { days, groupBy: 'day' });
  expect(report.group_by).toBe('day');
  expect(report.data.map((row) => ('day' in row ? [row.day, row.requests] : []))).toEqual([
    ['2026-12-02', 4],
    ['2026-12-03', 1],
  ]);
});

test('no usage: no rows, totals at zero', () => {
  expect(
    summariseUsage(new Map([['2026-12-01', new Map()]]), {
      days: ['2026-12-01'],
      groupBy: 'model',
    }),
  ).toEqual({
    object: 'usage',
    from: '2026-12-01',
    to: '2026-12-01',
    group_by: 'model',
    data: [],
    totals: {
      requests: 0,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      cache_hits: 0,
      cost_saved_usd: 0,
    },
  });
});
