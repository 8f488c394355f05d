/** Spend is counted in integer nano-dollars: float sums would drift over millions of jobs. */
const NANOS_PER_USD = 1e9;

/**
 * One model's counters on one day, as stored: integers, money in nano-dollars so sums over
 * days and models stay exact.
 */
export interface UsageCounters {
  jobs: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  /** Jobs answered from the cache (or by an identical job's call). */
  cached: number;
  /** What those cached answers would have cost. */
  cost_saved_nanos: number;
}

/** A day's counters per `provider/model`. */
export type DayUsage = Map<string, UsageCounters>;

/** Counters at zero, to add to. */
export function noUsage(): UsageCounters {
  return {
    jobs: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_nanos: 0,
    cached: 0,
    cost_saved_nanos: 0,
  };
}

/** Nano-dollars as dollars, once at the end of a sum. */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

const COUNTER_NAMES: ReadonlySet<string> = new Set(Object.keys(noUsage()));
const isCounter = (name: string): name is keyof UsageCounters => COUNTER_NAMES.has(name);

/** A daily usage hash (`model|counter` → integer) as counters per model. */
export function parseDayUsage(fields: Record<string, string>): DayUsage {
  const byModel: DayUsage = new Map();
  for (const [field, value] of Object.entries(fields)) {
    const split = field.lastIndexOf('|');
    const counter = field.slice(split + 1);
    if (split < 0 || !isCounter(counter)) continue;
    const model = field.slice(0, split);
    let counters = byModel.get(model);
    if (!counters) byModel.set(model, (counters = noUsage()));
    counters[counter] = Number(value);
  }
  return byModel;
}

/** Dollars as whole nano-dollars; unknown (null) and negative amounts count as 0. */
export function toNanos(usd: number | null | undefined): number {
  return Math.max(0, Math.round((usd ?? 0) * NANOS_PER_USD));
}
