import { exportedMetrics, type MetricFamily } from '../src/exported-metrics';
import { readMetricsCatalogue } from '../src/metrics-catalogue';
import { readRepoFile } from '../src/repo';

/** docs/OPERATIONS.md's metrics catalogue says exactly what each process's registry exports. */
const HEADINGS = {
  API: 'api',
  Worker: 'worker',
  'Webhook dispatcher': 'webhook-dispatcher',
} as const;
const byName = (families: MetricFamily[]) =>
  [...families].sort((a, b) => a.name.localeCompare(b.name));

test('one table per process, each listing every switchyard_* series with its type and labels', async () => {
  const { familiesByService } = await exportedMetrics();
  const catalogue = readMetricsCatalogue(readRepoFile('docs/OPERATIONS.md'));
  expect(Object.keys(catalogue)).toEqual(Object.keys(HEADINGS));
  for (const [heading, service] of Object.entries(HEADINGS)) {
    expect({ heading, families: byName(catalogue[heading]!) }).toEqual({
      heading,
      families: byName(familiesByService[service]),
    });
  }
});

test('the parser reads a row and fails on a series without a process', () => {
  const doc = (body: string) => `## Metrics\n${body}\n## Next\n`;
  expect(
    readMetricsCatalogue(doc('### API\n| `switchyard_x_total` | counter | `a`, `b` | why |')),
  ).toEqual({ API: [{ name: 'switchyard_x_total', type: 'counter', labels: ['a', 'b'] }] });
  expect(() => readMetricsCatalogue(doc('| `switchyard_x` | gauge | | why |'))).toThrow(
    'a series before any process heading: switchyard_x',
  );
});
