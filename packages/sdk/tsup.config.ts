import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const coreDir = fileURLToPath(new URL('../core/', import.meta.url));

/**
 * Core's modules are pure, but its package does not say so (its zod schemas register themselves
 * in zod's registry on import, which the API's OpenAPI document relies on). Said here, for the SDK
 * alone, so the modules the SDK does not use, and their node:crypto imports, stay out of it.
 */
const coreWithoutSideEffects: Plugin = {
  name: 'core-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /^(@switchyard\/core$|\.)/ }, async (args) => {
      if (args.pluginData === 'core') return undefined;
      const inCore = args.path === '@switchyard/core' || args.resolveDir.startsWith(coreDir);
      if (!inCore) return undefined;
      const { path, errors } = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'core',
      });
      return { path, errors, sideEffects: false };
    });
  },
};

const workspaceManifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  version: string;
  description: string;
  dependencies: Record<string, string>;
};

/**
 * The manifest of the package as published (`npm publish dist`). The workspace's own
 * package.json keeps `main` on src/index.ts: jest, tsc, tsx and esbuild in this repo resolve
 * `@switchyard/sdk` through it to the TypeScript source, and any `exports` map there would be
 * taken by them too (they match `require`/`import`/`default` like any consumer, and npm does not
 * apply `publishConfig` to fields such as `exports`), so the published shape lives here.
 */
const publishedManifest = {
  name: workspaceManifest.name,
  version: workspaceManifest.version,
  description: workspaceManifest.description,
  license: 'Apache-2.0',
  type: 'commonjs',
  main: './index.cjs',
  module: './index.mjs',
  types: './index.d.ts',
  exports: {
    '.': {
      import: { types: './index.d.mts', default: './index.mjs' },
      require: { types: './index.d.ts', default: './index.cjs' },
    },
    './package.json': './package.json',
  },
  sideEffects: false,
  engines: { node: '>=20' },
  dependencies: workspaceManifest.dependencies,
};

// The published SDK: ESM and CommonJS with type declarations. @switchyard/core is private, so its
// schemas are bundled in (JavaScript and types); zod and eventsource-parser stay dependencies.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.mjs' }),
  // Core's types are found as source through `paths`, so they are inlined rather than imported.
  dts: { compilerOptions: { paths: { '@switchyard/core': ['../core/src/index.ts'] } } },
  noExternal: ['@switchyard/core'],
  esbuildPlugins: [coreWithoutSideEffects],
  platform: 'neutral',
  target: 'es2022',
  clean: true,
  sourcemap: true,
  onSuccess: async () => {
    writeFileSync('dist/package.json', `${JSON.stringify(publishedManifest, null, 2)}\n`);
    copyFileSync('README.md', 'dist/README.md');
  },
});
