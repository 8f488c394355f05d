import type { MetricFamily } from './exported-metrics';

/**
 * The metrics catalogue of docs/OPERATIONS.md: under `## Metrics`, one `### <process>` table per
 * process whose rows start with the series name, its type and its labels, each in backticks.
 * Returns the families of each table by its heading.
 */
export function readMetricsCatalogue(markdown: string): Record<string, MetricFamily[]> {
  const section = /^## Metrics\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1];
  if (section === undefined) throw new Error('no "## Metrics" section');
  const catalogue: Record<string, MetricFamily[]> = {};
  let families: MetricFamily[] | undefined;
  for (const line of section.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) catalogue[heading[1]!] = families = [];
    const row = /^\| `(switchyard_\w+)` +\| (\w+) +\| ([^|]*)\|/.exec(line);
    if (!row) continue;
    if (!families) throw new Error(`a series before any process heading: ${row[1]}`);
    const labels = [...row[3]!.matchAll(/`(\w+)`/g)].map((match) => match[1]!);
    families.push({ name: row[1]!, type: row[2]!, labels });
  }
  return catalogue;
}
