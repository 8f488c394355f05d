import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, loadSettings } from '../src';
import { yamlSyntaxProblem } from '../src/syntax-problem';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

test('a YAML file is read, durations and all', () => {
  const path = file(
    'ok.yaml',
    `providers:
  local: { type: openai-compatible, base_url: http://localhost:11434/v1, timeout: 2m }
models:
  local/llama3: { input_per_million: 0, output_per_million: 0 }
routes:
  cheap: [local/llama3, openai/gpt-4o-mini]
retry: { max_attempts: 2, base_delay: 250ms }
`,
  );
  const settings = loadSettings({ SWITCHYARD_CONFIG: path });
  expect(settings.providers.local).toEqual({
    name: 'local',
    type: 'openai-compatible',
    baseUrl: 'http://localhost:11434/v1',
    apiKey: undefined,
    apiKeys: [],
    timeoutMs: 120_000,
    limits: { windows: [], maxInFlight: undefined },
  });
  expect(settings.routes.cheap).toEqual(['local/llama3', 'openai/gpt-4o-mini']);
  expect(settings.routes.fast).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest']);
  expect(settings.retry).toEqual({ maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 60_000 });
  expect(settings.models['local/llama3']).toEqual({
    inputPerMillion: 0,
    outputPerMillion: 0,
    contextWindow: undefined,
    limits: { windows: [], maxInFlight: undefined },
  });
  expect(settings.models['openai/gpt-4o-mini']?.inputPerMillion).toBe(0.15);
});

test('a JSON file is read as JSON', () => {
  const path = file('ok.json', JSON.stringify({ worker: { concurrency: 42 } }));
  expect(loadSettings({ SWITCHYARD_CONFIG: path }).worker.concurrency).toBe(42);
});

test('env wins over the file for the built-in providers', () => {
  const path = file(
    'base.yaml',
    'providers:\n  openai: { type: openai, base_url: http://file.example/v1 }\n',
  );
  const settings = loadSettings({
    SWITCHYARD_CONFIG: path,
    OPENAI_BASE_URL: 'http://env.example/v1',
    OPENAI_API_KEY: 'k',
  });
  expect(settings.providers.openai).toMatchObject({
    baseUrl: 'http://env.example/v1',
    apiKey: 'k',
  });
});

test('several keys per provider, and limits per key and per model', () => {
  const path = file(
    'limits.yaml',
    `providers:
  openai:
    type: openai
    api_key_env: [OPENAI_KEY_B, OPENAI_KEY_C]
    limits: { rpm: 600, tpm: 100000, max_in_flight: 50, windows: [{ window: 1s, requests: 10 }] }
models:
  openai/gpt-4o-mini: { input_per_million: 0.15, output_per_million: 0.6, limits: { tpm: 20000 } }
`,
  );
  const settings = loadSettings({
    SWITCHYARD_CONFIG: path,
    OPENAI_API_KEY: 'key-a',
    OPENAI_KEY_B: 'key-b',
    OPENAI_KEY_C: 'key-c',
  });
  expect(settings.providers.openai?.apiKeys).toEqual(['key-a', 'key-b', 'key-c']);
  expect(settings.providers.openai?.limits).toEqual({
    windows: [
      { windowMs: 60_000, requests: 600, tokens: 100_000 },
      { windowMs: 1_000, requests: 10, tokens: undefined },
    ],
    maxInFlight: 50,
  });
  expect(settings.models['openai/gpt-4o-mini']?.limits).toEqual({
    windows: [{ windowMs: 60_000, requests: undefined, tokens: 20_000 }],
    maxInFlight: undefined,
  });
});

test('limit mistakes are reported with their path', () => {
  const path = file(
    'bad-limits.yaml',
    `providers:
  openai: { type: openai, api_key_env: [lower], limits: { rpm: 0, windows: [{ window: 1s }] } }
`,
  );
  expect(errorOf(() => loadSettings({ SWITCHYARD_CONFIG: path })).split('\n')).toEqual([
    `${path}: providers.openai.api_key_env[0]: must be an environment variable name`,
    `${path}: providers.openai.limits.rpm: Too small: expected number to be >=1`,
    `${path}: providers.openai.limits.windows[0]: a window needs requests, tokens or both`,
  ]);
});

test('every mistake is reported, one line each, with its path', () => {
  const path = file(
    'bad.yaml',
    `providers:
  Local: { type: openai-compatible }
models:
  gpt4: { input_per_million: -1, output_per_million: 1 }
worker: { concurrency: 0 }
retry: { base_delay: soon }
extra: true
`,
  );
  expect(errorOf(() => loadConfigFile(path)).split('\n')).toEqual([
    `${path}: providers.Local: provider names are lower-case words`,
    `${path}: models.gpt4.input_per_million: Too small: expected number to be >=0`,
    `${path}: models.gpt4: must be "provider/model"`,
    `${path}: worker.concurrency: Too small: expected number to be >=1`,
    `${path}: retry.base_delay: "soon" is not a duration like "30s", "10m" or a number of milliseconds`,
    `${path}: Unrecognized key: "extra"`,
  ]);
});

test('unreadable and unparsable files name the file', () => {
  expect(errorOf(() => loadConfigFile(join(dir, 'missing.yaml')))).toMatch(
    /^SWITCHYARD_CONFIG: cannot read .*missing\.yaml \(ENOENT/,
  );
  const broken = file('broken.json', '{"a":');
  expect(errorOf(() => loadConfigFile(broken))).toMatch(
    /^SWITCHYARD_CONFIG: .*broken\.json is not valid JSON: /,
  );
});

describe('a file that does not parse is reported without repeating its text', () => {
  const KEY = 'sk-live-0123456789abcdef0123456789abcdef';

  test.each([
    ['an unquoted key', `{"providers": {"openai": {"api_key_env": ${KEY}}}}`, 'unexpected token'],
    ['a bare key', KEY, 'unexpected token'],
    [
      'a trailing comma',
      `{"a": "${KEY}",}`,
      `Expected double-quoted property name in JSON at position ${7 + KEY.length + 2}`,
    ],
    [
      'a cut file',
      `{"a": "${KEY}"`,
      `Expected ',' or '}' after property value in JSON at position ${7 + KEY.length + 1}`,
    ],
    [
      'an unterminated string',
      `{"a": "${KEY}`,
      `Unterminated string in JSON at position ${7 + KEY.length}`,
    ],
    ['nothing', '', 'Unexpected end of JSON input'],
    // Positions count from the file's start; `{"a": "` is 7 characters.
  ])('JSON with %s', (_case, text, problem) => {
    const path = file('pasted.json', text);
    expect(errorOf(() => loadConfigFile(path))).toBe(
      `SWITCHYARD_CONFIG: ${path} is not valid JSON: ${problem}`,
    );
  });

  test.each([
    [
      'a nested mapping',
      `api_key_env: ${KEY}: x`,
      'Nested mappings are not allowed in compact mappings at line 1, column 14',
    ],
    [
      'a key starting like an alias',
      `api_key_env: *${KEY}`,
      'Unresolved alias (the anchor must be set before the alias)',
    ],
    ['a repeated key', `a: 1\na: ${KEY}`, 'Map keys must be unique at line 2, column 1'],
    [
      'an unclosed quote',
      `a: "${KEY}`,
      `Missing closing "quote at line 1, column ${KEY.length + 5}`,
    ],
  ])('YAML with %s', (_case, text, problem) => {
    const path = file('pasted.yaml', text);
    expect(errorOf(() => loadConfigFile(path))).toBe(
      `SWITCHYARD_CONFIG: ${path} is not valid YAML: ${problem}`,
    );
  });

  test('YAML warnings, which quote the line, are not printed', async () => {
    const warnings: unknown[] = [];
    const collect = (warning: unknown) => void warnings.push(warning);
    process.on('warning', collect);
    const path = file('tagged.yaml', `worker: !${KEY} { concurrency: 2 }\n`);
    expect(loadConfigFile(path)).toEqual({ worker: { concurrency: 2 } });
    // Node emits warnings on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', collect);
    expect(warnings).toEqual([]);
  });
});

test('a YAML parse error whose words quote the file is named by its code', () => {
  expect(
    yamlSyntaxProblem({
      message: `Unexpected scalar ${'sk-live-x'}: at line 2, column 3:\n\nmore`,
      code: 'UNEXPECTED_TOKEN',
      linePos: [{ line: 2, col: 3 }],
    }),
  ).toBe('UNEXPECTED_TOKEN at line 2, column 3');
});

test('a route through an unknown provider is refused', () => {
  const path = file('route.yaml', 'routes:\n  odd: [nowhere/model]\n');
  expect(errorOf(() => loadSettings({ SWITCHYARD_CONFIG: path }))).toBe(
    `${path}: routes.odd[0]: unknown provider in "nowhere/model"`,
  );
});

test('an openai-compatible provider needs a base_url', () => {
  const path = file('nobase.yaml', 'providers:\n  vllm: { type: openai-compatible }\n');
  expect(errorOf(() => loadSettings({ SWITCHYARD_CONFIG: path }))).toBe(
    `${path}: providers.vllm.base_url: required for an openai-compatible provider`,
  );
});

test('a retention under a minute is refused', () => {
  const path = file('retention.yaml', 'jobs: { retention: 0 }\n');
  expect(errorOf(() => loadConfigFile(path))).toBe(`${path}: jobs.retention: must be at least 1m`);
});

test('pricing.allow_unpriced is read from the file, false when absent, and must be a boolean', () => {
  const allowed = file('pricing.yaml', 'pricing:\n  allow_unpriced: true\n');
  expect(loadSettings({ SWITCHYARD_CONFIG: allowed }).pricing).toEqual({ allowUnpriced: true });
  expect(loadSettings({}).pricing).toEqual({ allowUnpriced: false });
  const wrong = file('pricing-bad.yaml', 'pricing:\n  allow_unpriced: yes please\n');
  expect(errorOf(() => loadConfigFile(wrong))).toBe(
    `${wrong}: pricing.allow_unpriced: Invalid input: expected boolean, received string`,
  );
});
