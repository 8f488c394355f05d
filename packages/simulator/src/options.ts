import { type FaultKind } from './fault-kinds';

/**
 * How long the simulator waits before answering; for a stream, the time to the first chunk.
 * `lognormal` gives the long right tail real APIs have, set by its median and 99th percentile.
 */
export type LatencySpec =
  | {
      kind: 'fixed';
      /** Every answer waits exactly this many ms. */
      ms: number;
    }
  | {
      kind: 'uniform';
      /** Shortest wait in ms. */
      minMs: number;
      /** Longest wait in ms (at least minMs). */
      maxMs: number;
    }
  | {
      kind: 'lognormal';
      /** Half of the waits are shorter than this, in ms. */
      medianMs: number;
      /** 99% of the waits are shorter than this, in ms (at least medianMs). */
      p99Ms: number;
    };

/** One sliding window limit, checked per API key + model. */
export interface RateLimitWindow {
  /** Window length in milliseconds. Required. */
  windowMs: number;
  /** Requests allowed in any `windowMs` span. Default: no request limit in this window. */
  requests?: number;
  /** Tokens allowed in any `windowMs` span (input + (max_tokens ?? output)). Default: none. */
  tokens?: number;
}

/** Rate limits per API key + model, enforced with exact sliding-window logs. */
export interface RateLimits {
  /** Requests per 60 s window. Default: none. */
  rpm?: number;
  /** Tokens per 60 s window. Default: none. */
  tpm?: number;
  /** Extra windows of any length, e.g. `{ windowMs: 1000, requests: 10 }`. Default: none. */
  windows?: RateLimitWindow[];
}

/** Everything that shapes the simulator's behaviour; all of it can be changed at runtime. */
export interface SimulatorOptions {
  /** Delay before each answer (before the first chunk when streaming). Default `{ kind: 'fixed', ms: 0 }`. */
  latency?: LatencySpec;
  /** Delay between streamed chunks, in ms. Default 0. */
  tokenLatencyMs?: number;
  /** Seed for latency samples and fault draws, for repeatable runs. Default: random per process. */
  seed?: number;
  /** Rate limits per API key + model. Default: none. */
  limits?: RateLimits;
  /** Probability (0..1) of each fault kind per request, drawn independently. Default: none. */
  faults?: Partial<Record<FaultKind, number>>;
  /** Requests whose input tokens + max_tokens exceed this get a context-length error. Default: none. */
  contextWindow?: number;
  /** If set, any other model gets a 404 model-not-found error. Default: every model exists. */
  models?: string[];
  /** How many calls the call log keeps (a ring buffer; 0 turns it off). Default 10000. */
  callLogSize?: number;
}

/**
 * A change to the options: a key that is present replaces that option entirely, `null` puts it
 * back to its default, and absent (or `undefined`) keys stay as they are.
 */
export type SimulatorOptionsPatch = {
  [K in keyof SimulatorOptions]?: SimulatorOptions[K] | null;
};

/** The options with defaults filled in. */
export interface ResolvedOptions {
  latency: LatencySpec;
  tokenLatencyMs: number;
  seed: number | undefined;
  limits: RateLimits | undefined;
  faults: Partial<Record<FaultKind, number>>;
  contextWindow: number | undefined;
  models: string[] | undefined;
  callLogSize: number;
}

export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = {
  latency: { kind: 'fixed', ms: 0 },
  tokenLatencyMs: 0,
  seed: undefined,
  limits: undefined,
  faults: {},
  contextWindow: undefined,
  models: undefined,
  callLogSize: 10_000,
};

export function applyPatch(base: ResolvedOptions, patch: SimulatorOptionsPatch): ResolvedOptions {
  const next: ResolvedOptions = { ...base };
  const target = next as unknown as Record<string, unknown>;
  const defaults = DEFAULT_OPTIONS as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    target[key] = value === null ? defaults[key] : value;
  }
  return next;
}
