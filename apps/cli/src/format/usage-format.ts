import type { UsageFigures, UsageReport } from '@switchyard/core';
import { renderTable } from '../output/table';
import { type Paint, usd } from './values';

const figures = (row: UsageFigures): string[] => [
  String(row.requests),
  String(row.input_tokens),
  String(row.output_tokens),
  usd(row.cost_usd),
  String(row.cache_hits),
  usd(row.cost_saved_usd),
];

/** The usage report as a table: one row per model or day, then a TOTAL row. */
export function usageTable(report: UsageReport, paint: Paint): string {
  const groups: [string, UsageFigures][] =
    report.group_by === 'model'
      ? report.data.map((row) => [row.model, row])
      : report.data.map((row) => [row.day, row]);
  const title = `Usage ${report.from} to ${report.to} (UTC), by ${report.group_by}`;
  const table = renderTable(
    [
      { title: report.group_by.toUpperCase() },
      { title: 'REQUESTS', align: 'right' },
      { title: 'TOKENS IN', align: 'right' },
      { title: 'TOKENS OUT', align: 'right' },
      { title: 'COST', align: 'right' },
      { title: 'CACHE HITS', align: 'right' },
      { title: 'COST SAVED', align: 'right' },
    ],
    [
      ...groups.map(([name, row]) => [name, ...figures(row)]),
      [paint('bold', 'TOTAL'), ...figures(report.totals).map((cell) => paint('bold', cell))],
    ],
  );
  return `${paint('bold', title)}\n${table}`;
}
