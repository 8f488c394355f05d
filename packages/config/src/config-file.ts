import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDuration, parseModelRef } from '@switchyard/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeIssues } from './config-error';
import { RateLimitsConfig } from './rate-limits';
import { jsonSyntaxProblem, yamlSyntaxProblem } from './syntax-problem';

/** A duration as `"30s"`/`"10m"` or a whole number of milliseconds. */
const Duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined || !Number.isInteger(ms) || ms < 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value)} is not a duration like "30s", "10m" or a number of milliseconds`,
    });
    return z.NEVER;
  }
  return ms;
});

const isModelKey = (key: string) => parseModelRef(key) !== undefined;
const ModelKey = z.string().refine(isModelKey, 'must be "provider/model"');

/**
 * A record whose keys must pass `check`. Checked as a refinement rather than as a key schema so
 * a bad key and a bad value under it are both reported (zod stops at the key otherwise).
 */
function keyedRecord<V extends z.ZodType>(
  check: (key: string) => boolean,
  message: string,
  value: V,
) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!check(key)) ctx.addIssue({ code: 'custom', path: [key], message });
    }
  });
}

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');

export const ProviderConfig = z.strictObject({
  /** Wire protocol. `openai-compatible` is any server speaking OpenAI's chat completions. */
  type: z.enum(['openai', 'anthropic', 'openai-compatible']),
  /** Endpoint; for `openai`/`anthropic` the `*_BASE_URL` env var wins when set. */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Name of the environment variable that holds the key (keeps secrets out of the file), or a
   * list of them: calls are spread across the keys, each with its own `limits`.
   */
  api_key_env: z.union([EnvName, z.array(EnvName).min(1)]).optional(),
  /** Limits of each API key of this provider, across its models. @defaultValue none */
  limits: RateLimitsConfig.optional(),
  /** Per-attempt timeout of one call. @defaultValue 60s */
  timeout: Duration.optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const ModelConfig = z.strictObject({
  /** USD per million input tokens. */
  input_per_million: z.number().min(0),
  /** USD per million output tokens. */
  output_per_million: z.number().min(0),
  /** Tokens of context, where known. */
  context_window: z.number().int().min(1).optional(),
  /** Limits of this model on each API key of its provider. @defaultValue none */
  limits: RateLimitsConfig.optional(),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

/** The whole `SWITCHYARD_CONFIG` file; every section is optional. */
export const ConfigFile = z.strictObject({
  providers: keyedRecord(
    (key) => /^[a-z][a-z0-9_-]*$/.test(key),
    'provider names are lower-case words',
    ProviderConfig,
  ).optional(),
  models: keyedRecord(isModelKey, 'must be "provider/model"', ModelConfig).optional(),
  routes: keyedRecord(
    (key) => /^[A-Za-z0-9][\w.-]*$/.test(key),
    'route names are words without a slash',
    z.array(ModelKey).min(1),
  ).optional(),
  pricing: z
    .strictObject({
      /**
       * Accept jobs naming a model without a price under `models` (billed `cost_usd: null`,
       * counted in no budget); a tenant with a monthly budget is refused them all the same.
       * @defaultValue false: such a job is refused at submit with 400
       */
      allow_unpriced: z.boolean().optional(),
    })
    .optional(),
  worker: z
    .strictObject({
      /** Interactive-lane jobs one worker process runs at once. @defaultValue 500 */
      concurrency: z.number().int().min(1).max(10_000).optional(),
      /** Batch-lane jobs one worker process runs at once. @defaultValue 100 */
      batch_concurrency: z.number().int().min(1).max(10_000).optional(),
      /** BullMQ Workers per lane fetching jobs in parallel (they share the concurrency). @defaultValue 8 */
      fetchers: z.number().int().min(1).max(64).optional(),
      /**
       * Deprecated and ignored: every call streams, and its text enters the job's event stream
       * as it comes (docs/EVENTS.md). Still accepted so existing config files load.
       */
      stream_deltas: z.boolean().optional(),
      /**
       * On SIGTERM, how long running calls may finish before they are aborted and handed back to
       * the queue (the orchestrator's grace period must be longer, by 15 s). @defaultValue 10s
       */
      shutdown_grace: Duration.refine((ms) => ms <= 600_000, 'must be at most 10m').optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      /** Calls per model before giving up on it (first call included). @defaultValue 4 */
      max_attempts: z.number().int().min(1).max(20).optional(),
      /** First backoff step (full jitter, doubling). @defaultValue 1s */
      base_delay: Duration.optional(),
      /** Longest backoff between two calls. @defaultValue 60s */
      max_delay: Duration.optional(),
    })
    .optional(),
  circuit: z
    .strictObject({
      /** Failures in a row that open a model's circuit. @defaultValue 5 */
      consecutive_failures: z.number().int().min(1).optional(),
      /** Share of failed calls in the window that opens it (0 to 1). @defaultValue 0.5 */
      failure_rate: z.number().gt(0).max(1).optional(),
      /** Calls in the window before the rate counts. @defaultValue 20 */
      min_calls: z.number().int().min(1).optional(),
      /** Length of the rolling window. @defaultValue 30s */
      window: Duration.refine((ms) => ms >= 10, 'must be at least 10ms').optional(),
      /** How long an open circuit refuses calls before one probe may go. @defaultValue 30s */
      open_for: Duration.refine((ms) => ms >= 1, 'must be at least 1ms').optional(),
    })
    .optional(),
  cache: z
    .strictObject({
      /** How long an answer is kept. @defaultValue 24h */
      ttl: Duration.refine((ms) => ms >= 1_000, 'must be at least 1s').optional(),
      /** Share answers across tenants (identical requests of different tenants). @defaultValue false */
      shared: z.boolean().optional(),
    })
    .optional(),
  webhooks: z
    .strictObject({
      /** Waits before each retry of a failed delivery (±20% jitter). @defaultValue 5s, 5m, 30m, 2h, 5h, 10h, 10h */
      retry_schedule: z.array(Duration).max(20).optional(),
      /** Longest a delivery may take, body included. @defaultValue 15s */
      timeout: Duration.refine((ms) => ms >= 1, 'must be at least 1ms').optional(),
      /** Deliveries one dispatcher process sends at once. @defaultValue 200 */
      concurrency: z.number().int().min(1).max(10_000).optional(),
      /**
       * Events the outbox may hold before submits with a webhook answer 503 (events of jobs
       * already accepted always go in). @defaultValue 100000
       */
      outbox_limit: z.number().int().min(1).optional(),
    })
    .optional(),
  jobs: z
    .strictObject({
      /** How long a finished job stays readable, from when it ended. @defaultValue 7d */
      retention: Duration.refine((ms) => ms >= 60_000, 'must be at least 1m').optional(),
    })
    .optional(),
  events: z
    .strictObject({
      /** About how many events a job's event stream keeps, oldest dropped first. @defaultValue 10000 */
      max_len: z.number().int().min(100).max(1_000_000).optional(),
      /**
       * A call that starts within this time of its job's submit streams its text even before
       * anyone listens (the submitter is about to open the events). @defaultValue 2s
       */
      listen_grace: Duration.refine((ms) => ms <= 60_000, 'must be at most 1m').optional(),
      /** How often an idle `GET /v1/jobs/{id}/events` sends `: keep-alive`. @defaultValue 15s */
      keep_alive: Duration.refine(
        (ms) => ms >= 10 && ms <= 300_000,
        'must be 10ms to 5m',
      ).optional(),
      /** The reconnect delay the stream asks of its clients (`retry:`). @defaultValue 1s */
      retry: Duration.refine((ms) => ms <= 60_000, 'must be at most 1m').optional(),
    })
    .optional(),
  api: z
    .strictObject({
      /** Largest accepted request body in bytes. @defaultValue 1048576 */
      body_limit_bytes: z
        .number()
        .int()
        .min(1_024)
        .max(100 * 1_048_576)
        .optional(),
      /** Base of the `urls` in job objects, when the API sits behind a proxy. */
      public_url: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Reads and validates a YAML or JSON config file; every mistake is reported, one per line. */
export function loadConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`SWITCHYARD_CONFIG: cannot read ${path} (${(error as Error).message})`);
  }
  const json = extname(path) === '.json';
  let raw: unknown;
  try {
    // `logLevel: 'error'`: yaml's warnings go to stderr quoting the line they are about.
    raw = json ? JSON.parse(text) : parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    const problem = json
      ? jsonSyntaxProblem((error as Error).message)
      : yamlSyntaxProblem(error as Error);
    throw new ConfigError(
      `SWITCHYARD_CONFIG: ${path} is not valid ${json ? 'JSON' : 'YAML'}: ${problem}`,
    );
  }
  const result = ConfigFile.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(describeIssues(path, result.error.issues).join('\n'));
  }
  return result.data;
}
