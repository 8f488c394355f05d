import type { Style } from '../output/output';

/** Colours text for the stream it is written to (identity when that stream is not coloured). */
export type Paint = (style: Style, text: string) => string;

/** Dollars with six decimals: the API prices per token, so small jobs cost fractions of a cent. */
export const usd = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `$${value.toFixed(6)}`;

/** 741 ms, 2.4 s, 3 m 20 s. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** `key  value` lines with the keys padded to one width. */
export function fields(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

/** A timestamp shortened for tables: `2026-12-01 20:04:50` (UTC, as the API reports it). */
export const shortTime = (iso: string | null): string =>
  iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '–';
