import { type LatencySpec } from './options';
import { type Prng } from './prng';

// z-score of the 99th percentile of a standard normal: maps (median, p99) onto sigma.
const Z_P99 = 2.3263478740408408;

/** Draws one latency in whole milliseconds. */
export function sampleLatency(spec: LatencySpec, prng: Prng): number {
  switch (spec.kind) {
    case 'fixed':
      return Math.round(spec.ms);
    case 'uniform':
      return Math.round(spec.minMs + prng.next() * (spec.maxMs - spec.minMs));
    case 'lognormal': {
      const sigma = Math.log(spec.p99Ms / spec.medianMs) / Z_P99;
      return Math.round(spec.medianMs * Math.exp(sigma * standardNormal(prng)));
    }
  }
}

function standardNormal(prng: Prng): number {
  // Box-Muller; 1 - u keeps the logarithm away from zero.
  const u1 = 1 - prng.next();
  const u2 = prng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
