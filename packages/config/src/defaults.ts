/**
 * Built-in defaults: list prices in USD per million tokens for common models (as published by the
 * providers; override them in the config file when your contract differs) and two routes.
 */
export const DEFAULT_MODELS: Record<string, ModelDefaults> = {
  'openai/gpt-4o-mini': {
    input_per_million: 0.15,
    output_per_million: 0.6,
    context_window: 128_000,
  },
  'openai/gpt-4o': { input_per_million: 2.5, output_per_million: 10, context_window: 128_000 },
  'openai/gpt-4.1': { input_per_million: 2, output_per_million: 8, context_window: 1_047_576 },
  'openai/gpt-4.1-mini': {
    input_per_million: 0.4,
    output_per_million: 1.6,
    context_window: 1_047_576,
  },
  'openai/gpt-4.1-nano': {
    input_per_million: 0.1,
    output_per_million: 0.4,
    context_window: 1_047_576,
  },
  'openai/gpt-5': { input_per_million: 1.25, output_per_million: 10, context_window: 400_000 },
  'openai/gpt-5-mini': { input_per_million: 0.25, output_per_million: 2, context_window: 400_000 },
  'openai/gpt-5-nano': {
    input_per_million: 0.05,
    output_per_million: 0.4,
    context_window: 400_000,
  },
  'openai/o3': { input_per_million: 2, output_per_million: 8, context_window: 200_000 },
  'openai/o4-mini': { input_per_million: 1.1, output_per_million: 4.4, context_window: 200_000 },
  'anthropic/claude-3-5-haiku-latest': {
    input_per_million: 0.8,
    output_per_million: 4,
    context_window: 200_000,
  },
  'anthropic/claude-haiku-4-5': {
    input_per_million: 1,
    output_per_million: 5,
    context_window: 200_000,
  },
  'anthropic/claude-3-7-sonnet-latest': {
    input_per_million: 3,
    output_per_million: 15,
    context_window: 200_000,
  },
  'anthropic/claude-sonnet-4-0': {
    input_per_million: 3,
    output_per_million: 15,
    context_window: 200_000,
  },
  'anthropic/claude-sonnet-4-5': {
    input_per_million: 3,
    output_per_million: 15,
    context_window: 200_000,
  },
  'anthropic/claude-opus-4-1': {
    input_per_million: 15,
    output_per_million: 75,
    context_window: 200_000,
  },
};

export interface ModelDefaults {
  input_per_million: number;
  output_per_million: number;
  context_window?: number;
}

/** Route aliases: an ordered fallback chain each. */
export const DEFAULT_ROUTES: Record<string, string[]> = {
  fast: ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'],
  smart: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1'],
};
