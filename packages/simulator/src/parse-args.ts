import { parseDuration } from './duration';
import { FAULT_KINDS, type FaultKind, isFaultKind } from './fault-kinds';
import { type LatencySpec, type RateLimitWindow, type SimulatorOptions } from './options';
import { validateOptionsPatch } from './validate-options';

/** What the standalone CLI runs with: simulator options plus where to listen. */
export type SimulatorCliOptions = SimulatorOptions & { port: number; host: string };

export const DEFAULT_CLI_PORT = 8090;

export const SIMULATOR_USAGE = `Usage: simulator [flags]

  --port N                 port to listen on (default $SIMULATOR_PORT or ${DEFAULT_CLI_PORT})
  --host H                 interface to listen on (default 127.0.0.1)
  --latency SPEC           800ms | uniform:200ms:2s | lognormal:800ms:3s (median:p99) (default 0)
  --token-latency D        delay between streamed chunks, e.g. 20ms (default 0)
  --rpm N                  requests per minute per API key + model
  --tpm N                  tokens per minute per API key + model
  --window D:N[:T]         extra sliding window: length D, N requests, optional T tokens
                           (repeatable; N may be empty: 1m::5000)
  --fault K=P[,K=P...]     fault probabilities, e.g. 500=0.01,529=0.005 (repeatable)
                           kinds: ${FAULT_KINDS.join(', ')}
  --seed N                 seed for latency and fault draws (default random)
  --context-window N       reject input + max_tokens above N tokens
  --models A,B             only these models exist; others get 404
  --call-log-size N        calls kept in the call log (default 10000)
`;

type Handler = (value: string, into: SimulatorCliOptions) => void;

const FLAGS: Record<string, Handler> = {
  '--port': (v, o) => {
    o.port = integer('--port', v, 0, 65_535);
  },
  '--host': (v, o) => {
    if (v.trim() === '') throw new Error('--host: expected a host name or address, got ""');
    o.host = v;
  },
  '--latency': (v, o) => {
    o.latency = latency(v);
  },
  '--token-latency': (v, o) => {
    o.tokenLatencyMs = duration('--token-latency', v);
  },
  '--rpm': (v, o) => {
    o.limits = { ...o.limits, rpm: integer('--rpm', v, 1) };
  },
  '--tpm': (v, o) => {
    o.limits = { ...o.limits, tpm: integer('--tpm', v, 1) };
  },
  '--window': (v, o) => {
    const windows = o.limits?.windows ?? [];
    o.limits = { ...o.limits, windows: [...windows, window(v)] };
  },
  '--fault': (v, o) => {
    o.faults = { ...o.faults, ...faults(v) };
  },
  '--seed': (v, o) => {
    o.seed = integer('--seed', v, Number.MIN_SAFE_INTEGER);
  },
  '--context-window': (v, o) => {
    o.contextWindow = integer('--context-window', v, 1);
  },
  '--models': (v, o) => {
    const models = v.split(',').map((m) => m.trim());
    if (models.some((m) => m === '')) throw new Error(`--models: expected A,B,..., got "${v}"`);
    o.models = models;
  },
  '--call-log-size': (v, o) => {
    o.callLogSize = integer('--call-log-size', v, 0);
  },
};

/**
 * Parses CLI flags (`--flag value` or `--flag=value`). Throws an Error whose message is one line
 * naming the flag and what is wrong with it.
 */
export function parseSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv): SimulatorCliOptions {
  const envPort = env.SIMULATOR_PORT;
  const options: SimulatorCliOptions = {
    port:
      envPort === undefined || envPort === ''
        ? DEFAULT_CLI_PORT
        : integer('SIMULATOR_PORT', envPort, 0, 65_535),
    host: '127.0.0.1',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const handler = FLAGS[flag];
    if (!handler) {
      throw new Error(
        arg.startsWith('-') ? `unknown flag ${flag} (see --help)` : `unexpected argument "${arg}"`,
      );
    }
    let value: string;
    if (flag !== arg) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag}: missing value`);
      value = next;
      i++;
    }
    handler(value, options);
  }
  // Cross-field rules (e.g. uniform max >= min) live in one place: the options validator.
  const { port: _port, host: _host, ...rest } = options;
  try {
    validateOptionsPatch(rest);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : String(err));
  }
  return options;
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    const what = min === Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer ${range}`;
    throw new Error(`${flag}: expected ${what}, got "${text}"`);
  }
  return value;
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new Error(`${flag}: expected a duration like 800ms or 2s, got "${text}"`);
  return ms;
}

function latency(text: string): LatencySpec {
  const parts = text.split(':');
  const bad = (): Error =>
    new Error(
      `--latency: expected <duration>, uniform:<min>:<max> or lognormal:<median>:<p99>, got "${text}"`,
    );
  const ms = (part: string | undefined): number => {
    const value = part === undefined ? undefined : parseDuration(part);
    if (value === undefined) throw bad();
    return value;
  };
  if (parts.length === 1) return { kind: 'fixed', ms: ms(parts[0]) };
  if (parts.length === 2 && parts[0] === 'fixed') return { kind: 'fixed', ms: ms(parts[1]) };
  if (parts.length === 3 && parts[0] === 'uniform') {
    const spec = { kind: 'uniform', minMs: ms(parts[1]), maxMs: ms(parts[2]) } as const;
    if (spec.maxMs < spec.minMs)
      throw new Error(`--latency: uniform max is below min in "${text}"`);
    return spec;
  }
  if (parts.length === 3 && parts[0] === 'lognormal') {
    const spec = { kind: 'lognormal', medianMs: ms(parts[1]), p99Ms: ms(parts[2]) } as const;
    if (spec.medianMs <= 0 || spec.p99Ms < spec.medianMs) {
      throw new Error(`--latency: lognormal needs 0 < median <= p99, got "${text}"`);
    }
    return spec;
  }
  throw bad();
}

function window(text: string): RateLimitWindow {
  const [length = '', requests = '', tokens = '', ...extra] = text.split(':');
  const windowMs = parseDuration(length);
  const bad = (why: string): Error =>
    new Error(`--window: expected <duration>:<requests>[:<tokens>] (${why}), got "${text}"`);
  if (windowMs === undefined || windowMs <= 0) throw bad('bad duration');
  if (extra.length > 0) throw bad('too many parts');
  const result: RateLimitWindow = { windowMs };
  if (requests !== '') result.requests = integer('--window', requests, 1);
  if (tokens !== '') result.tokens = integer('--window', tokens, 1);
  if (result.requests === undefined && result.tokens === undefined) throw bad('no limit given');
  return result;
}

function faults(text: string): Partial<Record<FaultKind, number>> {
  const out: Partial<Record<FaultKind, number>> = {};
  for (const pair of text.split(',')) {
    const [kind = '', rate = ''] = pair.split('=');
    if (!isFaultKind(kind)) {
      throw new Error(`--fault: unknown fault kind "${kind}" (one of ${FAULT_KINDS.join(', ')})`);
    }
    const p = Number(rate);
    if (rate.trim() === '' || !(p >= 0 && p <= 1)) {
      throw new Error(`--fault: ${kind} needs a probability between 0 and 1, got "${rate}"`);
    }
    out[kind] = p;
  }
  return out;
}
