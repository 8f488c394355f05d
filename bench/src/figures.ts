/**
 * What a scenario measures: each figure with the baseline it is compared with, measured in the
 * same run (this machine is shared and noisy, so only ratios travel between runs).
 */
export interface Figure {
  /** What is measured, e.g. "submit requests/s". */
  measure: string;
  /** Unit of `value` and `baseline.value`, e.g. "req/s", "ms", "bytes", "%". */
  unit: string;
  value: number;
  /** The same quantity for the thing we compare with, measured in the same run. */
  baseline?: { what: string; value: number };
  /** `value / baseline.value`, when there is a baseline. */
  ratio?: number;
  /** The goal, as text ("≥ 0.85", "p99 < 200 ms"). */
  aim?: string;
}

/** A figure with its ratio to its baseline computed. */
export function figure(
  measure: string,
  unit: string,
  value: number,
  extra: { baseline?: { what: string; value: number }; aim?: string } = {},
): Figure {
  const ratio = extra.baseline ? value / extra.baseline.value : undefined;
  return {
    measure,
    unit,
    value,
    ...(extra.baseline && { baseline: extra.baseline }),
    ...(ratio !== undefined && Number.isFinite(ratio) && { ratio: round(ratio, 3) }),
    ...(extra.aim && { aim: extra.aim }),
  };
}

function round(n: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(n * scale) / scale;
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(n);

/** Enough digits to read a figure: one decimal below 100, none above. */
const readable = (n: number): string => fmt(n, Math.abs(n) < 100 && !Number.isInteger(n) ? 1 : 0);

/** The rows of one scenario as an aligned table (one line per figure, errors last). */
export function formatTable(
  scenario: string,
  figures: readonly Figure[],
  error?: { status: string; message: string },
): string {
  const headers = ['measure', 'unit', 'value', 'baseline', 'ratio', 'aim'];
  const rows = figures.map((f) => [
    f.measure,
    f.unit,
    readable(f.value),
    f.baseline ? `${readable(f.baseline.value)} (${f.baseline.what})` : '',
    f.ratio !== undefined ? f.ratio.toFixed(2) : '',
    f.aim ?? '',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `\n== ${scenario}${error ? ` — ${error.status.toUpperCase()}` : ''}`,
    ...(rows.length
      ? [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
      : []),
    ...(error ? [`error: ${error.message}`] : []),
    '',
  ].join('\n');
}
