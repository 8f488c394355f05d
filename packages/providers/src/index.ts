export * from './types';
export * from './retry-after';
export * from './classify';
export * from './pricing';
export * from './retry-policy';
export * from './create-adapters';
export { OpenAIAdapter, type OpenAIAdapterOptions } from './openai/openai-adapter';
export {
  AnthropicAdapter,
  type AnthropicAdapterOptions,
  ANTHROPIC_DEFAULT_MAX_TOKENS,
} from './anthropic/anthropic-adapter';
export * from './attempt-deadline';
export { nodeFetch } from './http/node-fetch';
export * from './http/request-sent';
export * from './limiter/limit-rules';
export * from './limiter/shared-limiter';
export * from './limiter/estimate-tokens';
export * from './circuit/circuit-breaker';
export * from './cache/cache-key';
export * from './cache/response-cache';
export * from './cache/request-dedup';
export * from './cache/request-dedup-options';
export * from './rate-limit-headers';
