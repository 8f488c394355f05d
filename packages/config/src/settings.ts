import { parseModelRef } from '@switchyard/core';
import { ConfigError } from './config-error';
import { type ConfigFile, loadConfigFile } from './config-file';
import { DEFAULT_WEBHOOK_SCHEDULE_MS } from '@switchyard/webhooks';
import { DEFAULT_MODELS, DEFAULT_ROUTES } from './defaults';
import { type Env, parseEnv } from './env';
import { type RateLimits, resolveRateLimits } from './rate-limits';

export type ProviderType = 'openai' | 'anthropic' | 'openai-compatible';

/** A provider as the worker uses it: keys and endpoints resolved from env and file. */
export interface ProviderSettings {
  name: string;
  type: ProviderType;
  /** `undefined` leaves the SDK's own default endpoint. */
  baseUrl: string | undefined;
  /** The first of `apiKeys`; `undefined` means not usable (except keyless OpenAI-compatible servers). */
  apiKey: string | undefined;
  /** Every key; calls are spread across them, each key with its own `limits`. */
  apiKeys: string[];
  timeoutMs: number;
  /** Limits of each key, across models. */
  limits: RateLimits;
}

export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  contextWindow: number | undefined;
  /** Limits of this model on each key of its provider. */
  limits: RateLimits;
}

/** Everything a Switchyard process needs to know, parsed once at boot. */
export interface Settings {
  env: Env;
  /**
   * The three tables a client's input is looked up in (a job's model names a route, a provider,
   * a price) have no prototype, so a name like `constructor` finds nothing rather than an
   * inherited function. Read prices through {@link priceOf}.
   */
  providers: Record<string, ProviderSettings>;
  /** Keyed by `provider/model`. */
  models: Record<string, ModelPrice>;
  /** Route alias → ordered `provider/model` chain. */
  routes: Record<string, string[]>;
  /** Whether a job may name a model without a price (never for a tenant with a budget). */
  pricing: { allowUnpriced: boolean };
  worker: {
    concurrency: number;
    batchConcurrency: number;
    fetchers: number;
    /** How long a stopping worker lets running calls finish before handing them back. */
    shutdownGraceMs: number;
  };
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  circuit: {
    consecutiveFailures: number;
    failureRate: number;
    minCalls: number;
    windowMs: number;
    openMs: number;
  };
  cache: { ttlMs: number; shared: boolean };
  webhooks: {
    retryScheduleMs: readonly number[];
    timeoutMs: number;
    concurrency: number;
    /** Outbox events at which submits with a webhook are refused (503). */
    outboxLimit: number;
  };
  jobs: { retentionMs: number };
  events: {
    /** About how many events a job's event stream keeps (the oldest go first). */
    maxLen: number;
    /**
     * A call of an interactive job submitted alone that starts within this time of its submit
     * streams into the job's events even before anyone listens (its submitter is about to);
     * other calls stream only for jobs someone listens to.
     */
    listenGraceMs: number;
    /** How often an idle event stream sends a keep-alive comment. */
    keepAliveMs: number;
    /** The reconnect delay an event stream asks of its client (`retry:`). */
    retryMs: number;
  };
  api: {
    bodyLimitBytes: number;
    /** `POST /v1/batches` only: a batch of 10,000 requests is far larger than a job. */
    batchBodyLimitBytes: number;
    publicUrl: string | undefined;
  };
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Parses the environment and the config file it names into Settings, or throws ConfigError. */
export function loadSettings(source: NodeJS.ProcessEnv = process.env): Settings {
  const env = parseEnv(source);
  const file = env.SWITCHYARD_CONFIG ? loadConfigFile(env.SWITCHYARD_CONFIG) : {};
  return resolveSettings(env, file, source);
}

/** Merges built-in defaults, the config file and the environment (env wins for endpoints). */
export function resolveSettings(
  env: Env,
  file: ConfigFile,
  source: NodeJS.ProcessEnv = {},
): Settings {
  const providers = lookupTable<ProviderSettings>({
    openai: {
      name: 'openai',
      type: 'openai',
      baseUrl: undefined,
      apiKey: undefined,
      apiKeys: [],
      timeoutMs: DEFAULT_TIMEOUT_MS,
      limits: resolveRateLimits(undefined),
    },
    anthropic: {
      name: 'anthropic',
      type: 'anthropic',
      baseUrl: undefined,
      apiKey: undefined,
      apiKeys: [],
      timeoutMs: DEFAULT_TIMEOUT_MS,
      limits: resolveRateLimits(undefined),
    },
  });
  for (const [name, provider] of Object.entries(file.providers ?? {})) {
    const keyEnvs = [provider.api_key_env ?? []].flat();
    const apiKeys = keyEnvs.map((envName) => source[envName]).filter((key): key is string => !!key);
    providers[name] = {
      name,
      type: provider.type,
      baseUrl: provider.base_url,
      apiKey: apiKeys[0],
      apiKeys,
      timeoutMs: provider.timeout ?? DEFAULT_TIMEOUT_MS,
      limits: resolveRateLimits(provider.limits),
    };
    if (provider.type === 'openai-compatible' && !provider.base_url) {
      throw new ConfigError(
        `${env.SWITCHYARD_CONFIG}: providers.${name}.base_url: required for an openai-compatible provider`,
      );
    }
  }
  // The well-known variables come first; keys named in the file are added after them.
  const withEnvKey = (provider: ProviderSettings, key: string | undefined) => {
    if (key) provider.apiKeys = [key, ...provider.apiKeys.filter((other) => other !== key)];
    provider.apiKey = provider.apiKeys[0];
  };
  const openai = providers.openai!;
  withEnvKey(openai, env.OPENAI_API_KEY);
  openai.baseUrl = env.OPENAI_BASE_URL ?? openai.baseUrl;
  const anthropic = providers.anthropic!;
  withEnvKey(anthropic, env.ANTHROPIC_API_KEY);
  anthropic.baseUrl = env.ANTHROPIC_BASE_URL ?? anthropic.baseUrl;

  const models = lookupTable<ModelPrice>({});
  for (const [key, model] of Object.entries({ ...DEFAULT_MODELS, ...file.models })) {
    models[key] = {
      inputPerMillion: model.input_per_million,
      outputPerMillion: model.output_per_million,
      contextWindow: model.context_window,
      limits: resolveRateLimits('limits' in model ? model.limits : undefined),
    };
  }

  const routes = lookupTable({ ...DEFAULT_ROUTES, ...file.routes });
  for (const [alias, chain] of Object.entries(routes)) {
    for (const [index, entry] of chain.entries()) {
      const provider = parseModelRef(entry)?.provider;
      if (!provider || !providers[provider]) {
        throw new ConfigError(
          `${env.SWITCHYARD_CONFIG ?? 'routes'}: routes.${alias}[${index}]: unknown provider in "${entry}"`,
        );
      }
    }
  }

  return {
    env,
    providers,
    models,
    routes,
    pricing: { allowUnpriced: file.pricing?.allow_unpriced ?? false },
    worker: {
      concurrency: file.worker?.concurrency ?? 500,
      batchConcurrency: file.worker?.batch_concurrency ?? 100,
      fetchers: file.worker?.fetchers ?? 8,
      shutdownGraceMs: file.worker?.shutdown_grace ?? 10_000,
    },
    retry: {
      maxAttempts: file.retry?.max_attempts ?? 4,
      baseDelayMs: file.retry?.base_delay ?? 1_000,
      maxDelayMs: file.retry?.max_delay ?? 60_000,
    },
    circuit: {
      consecutiveFailures: file.circuit?.consecutive_failures ?? 5,
      failureRate: file.circuit?.failure_rate ?? 0.5,
      minCalls: file.circuit?.min_calls ?? 20,
      windowMs: file.circuit?.window ?? 30_000,
      openMs: file.circuit?.open_for ?? 30_000,
    },
    cache: { ttlMs: file.cache?.ttl ?? 86_400_000, shared: file.cache?.shared ?? false },
    webhooks: {
      retryScheduleMs: file.webhooks?.retry_schedule ?? DEFAULT_WEBHOOK_SCHEDULE_MS,
      timeoutMs: file.webhooks?.timeout ?? 15_000,
      concurrency: file.webhooks?.concurrency ?? 200,
      outboxLimit: file.webhooks?.outbox_limit ?? 100_000,
    },
    jobs: { retentionMs: file.jobs?.retention ?? 7 * 86_400_000 },
    events: {
      maxLen: file.events?.max_len ?? 10_000,
      listenGraceMs: file.events?.listen_grace ?? 2_000,
      keepAliveMs: file.events?.keep_alive ?? 15_000,
      retryMs: file.events?.retry ?? 1_000,
    },
    api: {
      bodyLimitBytes: file.api?.body_limit_bytes ?? 1_048_576,
      batchBodyLimitBytes: file.api?.batch_body_limit_bytes ?? 50 * 1_048_576,
      publicUrl: file.api?.public_url,
    },
  };
}

/** A table keyed by names from outside (config keys, a job's model): no prototype to inherit from. */
function lookupTable<V>(entries: Record<string, V>): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, entries);
}

/** True when calls to this provider can be made (a key, or a keyless local server). */
export function isProviderUsable(provider: ProviderSettings): boolean {
  return provider.apiKey !== undefined || provider.type === 'openai-compatible';
}
