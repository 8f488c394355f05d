import type { ModelPrice } from '@switchyard/config';

/**
 * Cost of one call from the provider's own token counts and the price table, or null when the
 * model has no price (unknown is not free). Rounded to 1e-10 USD so sums stay readable.
 */
export function costUsd(
  price: Pick<ModelPrice, 'inputPerMillion' | 'outputPerMillion'> | undefined,
  inputTokens: number,
  outputTokens: number,
): number | null {
  if (!price) return null;
  const usd = (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1e6;
  return Math.round(usd * 1e10) / 1e10;
}
