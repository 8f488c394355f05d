// The package as published: `npm run build` makes dist/ (ESM, CommonJS, type declarations and
// its own package.json); a child `node` loads it by its name through the `exports` map, from an
// ES module and from a CommonJS one, and calls an HTTP server with it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..');
const DIST = join(PACKAGE, 'dist');
const JOB = JSON.parse(readFileSync(join(__dirname, 'fixtures/job.json'), 'utf8')) as {
  id: string;
};

let server: Server;
let baseUrl: string;
let consumer: string;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build'], { cwd: PACKAGE, stdio: 'pipe' });
  // A project that installed the package: node_modules/@switchyard/sdk is dist/.
  consumer = mkdtempSync(join(tmpdir(), 'sdk-consumer-'));
  mkdirSync(join(consumer, 'node_modules/@switchyard'), { recursive: true });
  symlinkSync(DIST, join(consumer, 'node_modules/@switchyard/sdk'), 'dir');
  server = createServer((req, res) => {
    const known = req.url === `/v1/jobs/${JOB.id}` && req.headers.authorization === 'Bearer k';
    res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        known ? JOB : { error: { type: 'not_found', message: 'No such job', request_id: 'req_1' } },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(consumer, { recursive: true, force: true });
});

/** Runs `source` as a file of the consumer project; resolves with what it printed. */
function run(file: string, source: string): Promise<string> {
  writeFileSync(join(consumer, file), source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, baseUrl, JOB.id], { cwd: consumer });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(output))));
  });
}

const CALLS = `
const [baseUrl, id] = process.argv.slice(2);
const client = new SwitchyardClient({ baseUrl, apiKey: 'k' });
const job = await client.get(id);
const missing = await client.get('job_nope').catch((error) => error);
console.log(JSON.stringify({
  job: [job.id, job.status],
  missing: [missing instanceof NotFoundError, missing instanceof SwitchyardError, missing.status, missing.requestId],
}));
`;

const EXPECTED = (id: string) => ({
  job: [id, 'succeeded'],
  missing: [true, true, 404, 'req_1'],
});

test('the ES module build loads by the package name and makes calls', async () => {
  const output = await run(
    'esm.mjs',
    `import { NotFoundError, SwitchyardClient, SwitchyardError } from '@switchyard/sdk';\n${CALLS}`,
  );
  expect(JSON.parse(output)).toEqual(EXPECTED(JOB.id));
});

test('the CommonJS build loads by the package name and makes calls', async () => {
  const output = await run(
    'cjs.cjs',
    `const { NotFoundError, SwitchyardClient, SwitchyardError } = require('@switchyard/sdk');\n(async () => {${CALLS}})();`,
  );
  expect(JSON.parse(output)).toEqual(EXPECTED(JOB.id));
});

test('the type declarations serve TypeScript projects in ES module and CommonJS mode', () => {
  const usage = (importLine: string) => `${importLine}
export async function run(client: SwitchyardClient): Promise<string> {
  const { job } = await client.submit({ model: 'openai/gpt-4o-mini', input: { messages: [{ role: 'user', content: 'hi' }] } });
  for await (const event of client.stream(job.id)) if (event.type === 'delta') return event.data.text;
  return 'no delta';
}
export const retryAfter = (error: RateLimitError): number | null => error.retryAfter;
`;
  writeFileSync(
    join(consumer, 'esm.mts'),
    usage(`import { type RateLimitError, SwitchyardClient } from '@switchyard/sdk';`),
  );
  writeFileSync(
    join(consumer, 'cjs.cts'),
    usage(`import sdk = require('@switchyard/sdk');
type SwitchyardClient = sdk.SwitchyardClient;
type RateLimitError = sdk.RateLimitError;`),
  );
  // A wrong call must fail the check, or the check proves nothing.
  writeFileSync(
    join(consumer, 'wrong.mts'),
    `import { SwitchyardClient } from '@switchyard/sdk';
new SwitchyardClient({ baseUrl: 1 });
`,
  );
  const tsc = (files: string[]) =>
    spawnSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--lib',
        'es2022,dom,dom.asynciterable',
        ...files,
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
  const good = tsc(['esm.mts', 'cjs.cts']);
  expect(good.stdout).toBe('');
  expect(good.status).toBe(0);
  const wrong = tsc(['wrong.mts']);
  expect(wrong.stdout).toMatch(/wrong\.mts\(2,\d+\): error TS2/);
}, 60_000);

test('the builds import nothing of node: or of the private @switchyard/core', () => {
  const imports = (file: string) => {
    const text = readFileSync(join(DIST, file), 'utf8');
    return [
      ...new Set([...text.matchAll(/(?:from |require\()"([^"]+)"/g)].map((m) => m[1])),
    ].sort();
  };
  expect(imports('index.mjs')).toEqual(['eventsource-parser', 'zod']);
  expect(imports('index.cjs')).toEqual(['eventsource-parser', 'zod']);
  const declarations = [
    ...readFileSync(join(DIST, 'index.d.ts'), 'utf8').matchAll(/from '([^']+)'/g),
  ];
  expect(declarations.map((match) => match[1])).toEqual(['zod']);
});

test('the published manifest maps import and require to their builds and types', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'package.json'), 'utf8'));
  expect(manifest).toMatchObject({
    name: '@switchyard/sdk',
    main: './index.cjs',
    types: './index.d.ts',
    exports: {
      '.': {
        import: { types: './index.d.mts', default: './index.mjs' },
        require: { types: './index.d.ts', default: './index.cjs' },
      },
    },
    dependencies: { zod: expect.any(String), 'eventsource-parser': expect.any(String) },
  });
  expect(manifest.private).toBeUndefined();
});
