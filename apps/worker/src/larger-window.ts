import type { ModelPrice } from '@switchyard/config';

/**
 * The first model after `hop` in the chain whose context window is larger than the current
 * one's: where a prompt too long for this model may fit. Models of unknown window are skipped
 * (calling them is a guess), and so is every model when the current window is unknown.
 */
export function largerWindowHop(
  chain: string[],
  hop: number,
  models: Record<string, Pick<ModelPrice, 'contextWindow'>>,
): number | undefined {
  const current = models[chain[hop]!]?.contextWindow;
  if (current === undefined) return undefined;
  for (let next = hop + 1; next < chain.length; next++) {
    const window = models[chain[next]!]?.contextWindow;
    if (window !== undefined && window > current) return next;
  }
  return undefined;
}
