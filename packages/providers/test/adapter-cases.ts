import type { Simulator } from '@switchyard/simulator';
import { AnthropicAdapter, type CallFailure, OpenAIAdapter, type ProviderAdapter } from '../src';

/** Every adapter, built against whichever simulator a test talks to: one contract for all. */
export const ADAPTERS: Array<[string, (sim: Simulator) => ProviderAdapter]> = [
  [
    'openai',
    (sim) =>
      new OpenAIAdapter({
        name: 'openai',
        apiKey: 'sk-test',
        baseUrl: sim.openaiBaseUrl,
        dialect: 'openai',
      }),
  ],
  [
    'openai-compatible',
    (sim) =>
      new OpenAIAdapter({
        name: 'local',
        apiKey: undefined,
        baseUrl: sim.openaiBaseUrl,
        dialect: 'compatible',
      }),
  ],
  [
    'anthropic',
    (sim) =>
      new AnthropicAdapter({
        name: 'anthropic',
        apiKey: 'sk-ant-test',
        baseUrl: sim.anthropicBaseUrl,
      }),
  ],
];

/** Each injected fault (a `[[sim: …]]` directive) and how every adapter must classify it. */
export const FAULT_CLASSES: Array<[string, Partial<CallFailure>]> = [
  ['fault=500', { kind: 'retryable', statusCode: 500, errorType: 'provider_error' }],
  ['fault=502', { kind: 'retryable', statusCode: 502 }],
  ['fault=503 retry_after=1.5', { kind: 'retryable', statusCode: 503, retryAfterMs: 1_500 }],
  ['fault=529', { kind: 'retryable', statusCode: 529 }],
  [
    'fault=429 retry_after=2',
    { kind: 'rate_limited', statusCode: 429, retryAfterMs: 2_000, errorType: 'rate_limited' },
  ],
  [
    'fault=insufficient_quota',
    { kind: 'terminal', errorType: 'provider_error', retryAfterMs: null },
  ],
  ['fault=400', { kind: 'terminal', statusCode: 400, errorType: 'invalid_request' }],
  ['fault=401', { kind: 'terminal', statusCode: 401, errorType: 'provider_error' }],
  ['fault=403', { kind: 'terminal', statusCode: 403, errorType: 'provider_error' }],
  ['fault=404', { kind: 'terminal', statusCode: 404, errorType: 'provider_error' }],
  ['fault=413', { kind: 'terminal', statusCode: 413, errorType: 'invalid_request' }],
  [
    'fault=context_length',
    { kind: 'context_length', statusCode: 400, errorType: 'invalid_request' },
  ],
  ['fault=reset', { kind: 'retryable', statusCode: null, errorType: 'provider_error' }],
];
