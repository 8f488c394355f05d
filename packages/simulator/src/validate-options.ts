import { FAULT_KINDS, isFaultKind } from './fault-kinds';
import { type LatencySpec, type RateLimits, type SimulatorOptionsPatch } from './options';

const KEYS: ReadonlySet<string> = new Set([
  'latency',
  'tokenLatencyMs',
  'seed',
  'limits',
  'faults',
  'contextWindow',
  'models',
  'callLogSize',
]);

/**
 * Checks options that may come from JSON (POST /_sim/config) as well as from TypeScript, so a
 * typo fails loudly instead of silently running a different experiment. Throws an Error whose
 * message is one line naming the option.
 */
export function validateOptionsPatch(input: unknown): SimulatorOptionsPatch {
  const obj = record(input, 'options');
  for (const [key, value] of Object.entries(obj)) {
    if (!KEYS.has(key)) throw new Error(`unknown simulator option "${key}"`);
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'latency':
        checkLatency(value);
        break;
      case 'tokenLatencyMs':
        nonNegative(value, key);
        break;
      case 'seed':
        if (!Number.isSafeInteger(value)) fail(key, 'an integer', value);
        break;
      case 'limits':
        checkLimits(value);
        break;
      case 'faults':
        checkFaults(value);
        break;
      case 'contextWindow':
        positiveInteger(value, key);
        break;
      case 'models':
        if (!Array.isArray(value) || !value.every((m) => typeof m === 'string' && m !== '')) {
          fail(key, 'an array of model names', value);
        }
        break;
      case 'callLogSize':
        if (!Number.isSafeInteger(value) || (value as number) < 0) {
          fail(key, 'a non-negative integer', value);
        }
        break;
    }
  }
  return obj as SimulatorOptionsPatch;
}

function checkLatency(value: unknown): asserts value is LatencySpec {
  const spec = record(value, 'latency');
  switch (spec.kind) {
    case 'fixed':
      nonNegative(spec.ms, 'latency.ms');
      return;
    case 'uniform':
      nonNegative(spec.minMs, 'latency.minMs');
      nonNegative(spec.maxMs, 'latency.maxMs');
      if ((spec.maxMs as number) < (spec.minMs as number)) {
        fail('latency.maxMs', 'at least latency.minMs', spec.maxMs);
      }
      return;
    case 'lognormal':
      positive(spec.medianMs, 'latency.medianMs');
      positive(spec.p99Ms, 'latency.p99Ms');
      if ((spec.p99Ms as number) < (spec.medianMs as number)) {
        fail('latency.p99Ms', 'at least latency.medianMs', spec.p99Ms);
      }
      return;
    default:
      fail('latency.kind', '"fixed", "uniform" or "lognormal"', spec.kind);
  }
}

function checkLimits(value: unknown): asserts value is RateLimits {
  const limits = record(value, 'limits');
  for (const key of Object.keys(limits)) {
    if (key !== 'rpm' && key !== 'tpm' && key !== 'windows') {
      throw new Error(`unknown simulator option "limits.${key}"`);
    }
  }
  if (limits.rpm !== undefined) positiveInteger(limits.rpm, 'limits.rpm');
  if (limits.tpm !== undefined) positiveInteger(limits.tpm, 'limits.tpm');
  if (limits.windows === undefined) return;
  if (!Array.isArray(limits.windows)) fail('limits.windows', 'an array', limits.windows);
  limits.windows.forEach((w: unknown, i) => {
    const where = `limits.windows[${i}]`;
    const window = record(w, where);
    positiveInteger(window.windowMs, `${where}.windowMs`);
    if (window.requests !== undefined) positiveInteger(window.requests, `${where}.requests`);
    if (window.tokens !== undefined) positiveInteger(window.tokens, `${where}.tokens`);
    if (window.requests === undefined && window.tokens === undefined) {
      throw new Error(`invalid simulator option "${where}": needs requests or tokens`);
    }
  });
}

function checkFaults(value: unknown): void {
  for (const [kind, rate] of Object.entries(record(value, 'faults'))) {
    if (!isFaultKind(kind)) {
      throw new Error(
        `unknown fault kind "${kind}" in "faults" (one of ${FAULT_KINDS.join(', ')})`,
      );
    }
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      fail(`faults.${kind}`, 'a probability between 0 and 1', rate);
    }
  }
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function nonNegative(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(where, 'a non-negative number', value);
  }
}

function positive(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(where, 'a positive number', value);
  }
}

function positiveInteger(value: unknown, where: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    fail(where, 'a positive integer', value);
}

function fail(where: string, expected: string, got: unknown): never {
  throw new Error(`invalid simulator option "${where}": expected ${expected}, got ${show(got)}`);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
