/** The value below which `p` percent of `values` fall (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Row {
  scenario: string;
  measure: string;
  value: string;
  baseline?: string;
  ratio?: string;
  aim?: string;
}

/** Prints the rows as an aligned table. */
export function printTable(rows: readonly Row[]): void {
  const headers: Array<keyof Row> = ['scenario', 'measure', 'value', 'baseline', 'ratio', 'aim'];
  const widths = headers.map((h) =>
    Math.max(h.length, ...rows.map((row) => (row[h] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(headers.map((h) => row[h] ?? '')));
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
