import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { entrypointApps, parseDockerfile } from '../src/dockerfile';
import { render } from '../src/kustomize';
import { productionPackages } from '../src/production-deps';
import { readRepoFile, REPO } from '../src/repo';

/**
 * The Dockerfile's shape: build, production dependencies of exactly the apps the image runs,
 * and a small runtime stage that runs them as `node` behind tini. (No Docker engine here: the
 * compiled entry points it runs are exercised by compiled-entrypoints.test.ts.)
 */
const { args, stages } = parseDockerfile(readRepoFile('Dockerfile'));
const stage = (name: string) => stages.find((s) => s.name === name)!;
const runtime = stages.at(-1)!;
const only = (s: typeof runtime, keyword: string) =>
  s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const entries = createRequire(__filename)(join(REPO, 'scripts/build-entries.cjs')) as Record<
  string,
  string
>;
/** The workspace (its folder) of each app the build bundles. */
const appWorkspaces = Object.values(entries).map((entry) => dirname(dirname(entry)));
const workspaceName = (dir: string) =>
  (JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as { name: string }).name;

test('three stages on node 20 slim: build, deps, runtime', () => {
  expect(args).toEqual([{ keyword: 'ARG', args: 'NODE_IMAGE=node:20-bookworm-slim' }]);
  expect(stages.map((s) => [s.from, s.name])).toEqual([
    ['${NODE_IMAGE}', 'build'],
    ['${NODE_IMAGE}', 'deps'],
    ['${NODE_IMAGE}', 'runtime'],
  ]);
  expect(only(stage('build'), 'RUN').at(-1)).toMatch(/npm install .*&& npm run build$/);
});

test('the deps stage installs production dependencies of the four apps only', () => {
  const [install] = only(stage('deps'), 'RUN');
  expect(install).toContain('npm install --omit=dev');
  const workspaces = [...install!.matchAll(/-w (\S+)/g)].map((m) => m[1]);
  expect(workspaces).toEqual(appWorkspaces.map(workspaceName));
});

test('those dependencies hold what the bundles require and no build or test tool', () => {
  const installed = productionPackages(appWorkspaces);
  for (const needed of ['bullmq', 'ioredis', 'express', 'swagger-ui-dist', 'pino', 'prom-client']) {
    expect(installed).toContain(needed);
  }
  for (const needed of ['zod', 'yaml', 'openai', '@anthropic-ai/sdk'])
    expect(installed).toContain(needed);
  const tools = [
    'tsx',
    'esbuild',
    'typescript',
    'jest',
    '@swc/core',
    'eslint',
    'prettier',
    'turbo',
  ];
  expect(tools.filter((tool) => installed.has(tool))).toEqual([]);
});

test('the runtime runs as node, behind tini, any app by its command', () => {
  expect(only(runtime, 'USER')).toEqual(['node']);
  expect(only(runtime, 'ENV')).toEqual(['NODE_ENV=production']);
  expect(only(runtime, 'ENTRYPOINT')).toEqual([
    '["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"]',
  ]);
  expect(only(runtime, 'CMD')).toEqual(['["api"]']);
  expect(only(runtime, 'EXPOSE')).toEqual(['8080 9464 8090']);
  expect(only(runtime, 'COPY')).toEqual([
    '--from=deps /src/node_modules ./node_modules',
    '--from=build /src/dist ./dist',
    'deploy/docker/entrypoint.sh deploy/docker/healthcheck.js ./deploy/docker/',
  ]);
  // Kubernetes checks runAsNonRoot by number: the node image's `node` is uid 1000.
  for (const m of render('k8s/base').filter((m) => m.object.kind === 'Deployment')) {
    expect(m.object.spec.template.spec.securityContext.runAsUser).toBe(1000);
  }
});

test('the entrypoint knows exactly the apps the build bundles', () => {
  const entrypoint = readRepoFile('deploy/docker/entrypoint.sh');
  expect(entrypointApps(entrypoint)).toEqual(Object.keys(entries));
  expect(entrypoint).toContain('exec node --enable-source-maps "$root/dist/$app/main.js" "$@"');
});

test('the build context leaves out installs, builds, local state and secrets', () => {
  const ignored = readRepoFile('.dockerignore')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));
  for (const path of ['.git', '**/node_modules', 'dist', '.switchyard', '.env']) {
    expect(ignored).toContain(path);
  }
});
