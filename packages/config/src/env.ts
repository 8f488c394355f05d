import { z } from 'zod';
import { ConfigError } from './config-error';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/**
 * The environment variables of the contract, parsed once at boot. Each field's error names the
 * variable, so a bad value stops start-up with one precise line.
 */
export const Env = z.object({
  /** API port. @defaultValue 8080 */
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(8080),
  /** Redis to use; unset means `npm start` runs an embedded `redis-server`. */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  OPENAI_API_KEY: nonEmpty.optional(),
  OPENAI_BASE_URL: httpUrl.optional(),
  ANTHROPIC_API_KEY: nonEmpty.optional(),
  ANTHROPIC_BASE_URL: httpUrl.optional(),
  /** Bearer token (or HTTP Basic password of user `admin`) for `/admin/*`, Bull Board and `/metrics`. */
  SWITCHYARD_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Read-only credential: Bull Board without write actions, and `/metrics`; never `/admin/tenants`. */
  SWITCHYARD_VIEWER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Port on which a worker or webhook dispatcher serves `/metrics`, `/healthz` and `/readyz`. @defaultValue 9464 */
  METRICS_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(9464),
  /** Path to a YAML or JSON config file. */
  SWITCHYARD_CONFIG: nonEmpty.optional(),
  /** `true` lets webhooks reach private addresses (development only). @defaultValue false */
  SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * `true` runs on a Redis whose maxmemory-policy may evict keys (it drops queued jobs under memory
   * pressure): for the brave, e.g. a managed Redis whose policy cannot be changed. @defaultValue false
   */
  SWITCHYARD_ALLOW_REDIS_EVICTION: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Where `npm start` keeps the embedded Redis's data and its own state. @defaultValue .switchyard */
  SWITCHYARD_DATA_DIR: nonEmpty.default('.switchyard'),
  /** pino level. @defaultValue info */
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});
export type Env = z.infer<typeof Env>;

/**
 * Parses `process.env` (or a copy). Empty strings count as unset, as shells and compose files
 * often export `VAR=`. Throws a ConfigError naming the first bad variable and what is wrong with
 * it, never its value: values include tokens, keys and passwords in URLs, and start-up errors end
 * up in terminals, CI logs and log aggregators.
 */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const present: Record<string, string> = {};
  for (const key of Object.keys(Env.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = Env.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new ConfigError(`${name}: ${issue.message}`);
}
