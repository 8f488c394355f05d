import { type Directive } from './directives';
import { FAULT_KINDS, type FaultKind, isFaultKind } from './fault-kinds';
import { type Prng } from './prng';

export interface FaultChoice {
  kind: FaultKind;
  /** Sent as retry-after / retry-after-ms when set. */
  retryAfterMs: number | undefined;
}

// Enough for any test suite; the bound only matters for a load test that sends millions of
// distinct prompts with `times=` directives.
const MAX_TRACKED = 100_000;

/** Counts calls per request hash for `times=n` directives. */
export class TimesCounter {
  private readonly seen = new Map<string, number>();

  /** Returns how many times this hash has now been seen, this call included. */
  bump(hash: string): number {
    const count = (this.seen.get(hash) ?? 0) + 1;
    if (!this.seen.has(hash) && this.seen.size >= MAX_TRACKED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(hash, count);
    return count;
  }

  clear(): void {
    this.seen.clear();
  }
}

/**
 * A fault asked for explicitly: the `x-simulator-fault` header wins over a prompt directive.
 * Returns an error message for a bad header value.
 */
export function explicitFault(
  header: string | undefined,
  retryAfterHeader: string | undefined,
  directive: Directive | undefined,
  model: string,
  requestHash: string,
  times: TimesCounter,
): FaultChoice | string | undefined {
  if (header !== undefined) {
    if (!isFaultKind(header)) {
      return `x-simulator-fault: unknown fault "${header}" (one of ${FAULT_KINDS.join(', ')})`;
    }
    let retryAfterMs: number | undefined;
    if (retryAfterHeader !== undefined) {
      const seconds = Number(retryAfterHeader);
      if (retryAfterHeader.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
        return `x-simulator-retry-after: expected seconds, got "${retryAfterHeader}"`;
      }
      retryAfterMs = Math.round(seconds * 1000);
    }
    return { kind: header, retryAfterMs };
  }
  if (directive?.fault === undefined) return undefined;
  if (directive.model !== undefined && directive.model !== model) return undefined;
  if (directive.times !== undefined && times.bump(requestHash) > directive.times) return undefined;
  return { kind: directive.fault, retryAfterMs: directive.retryAfterMs };
}

/** Draws every configured rate (so the PRNG sequence does not depend on outcomes); first hit wins. */
export function randomFault(
  rates: Partial<Record<FaultKind, number>>,
  prng: Prng,
): FaultChoice | undefined {
  let hit: FaultKind | undefined;
  for (const kind of FAULT_KINDS) {
    const rate = rates[kind];
    if (rate === undefined || rate <= 0) continue;
    if (prng.next() < rate) hit ??= kind;
  }
  return hit === undefined ? undefined : { kind: hit, retryAfterMs: undefined };
}
