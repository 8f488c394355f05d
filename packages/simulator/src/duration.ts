const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
const BARE_MS = /^\d+(?:\.\d+)?$/;

/**
 * Parses `800ms`, `2s`, `1m30s`, `1.5s` or a bare number of milliseconds into milliseconds.
 * Returns `undefined` for anything else, so callers word the error for their context.
 */
export function parseDuration(text: string): number | undefined {
  if (text.length === 0 || text.length > 32) return undefined;
  if (BARE_MS.test(text)) return Math.round(Number(text));
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  }
  return Math.round(total);
}

/**
 * Formats milliseconds the way Go's time.Duration prints (`250ms`, `1s`, `1.5s`, `6m0s`,
 * `1h0m0s`), which is what OpenAI's `x-ratelimit-reset-*` headers use.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const rest = total % 60_000;
  const fraction = rest % 1000;
  const seconds =
    fraction === 0
      ? String(Math.floor(rest / 1000))
      : `${Math.floor(rest / 1000)}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
