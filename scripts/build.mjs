// `npm run build`: each app's entry point bundled into dist/<app>/main.js, the JavaScript that
// production runs (the Dockerfile, docs/OPERATIONS.md). Workspace packages (@switchyard/*, whose
// `main` is TypeScript source) are inlined; npm packages stay external and load from
// node_modules, so their own files (BullMQ's Lua scripts, swagger-ui-dist's assets) are found
// where they expect them.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outdir = join(root, 'dist');

const ENTRIES = createRequire(import.meta.url)('./build-entries.cjs');
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const fromRoot = createRequire(join(root, 'package.json'));

/** The path `specifier` resolves to from `require`, or undefined when it does not resolve. */
function resolved(require, specifier) {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * npm packages stay external only when dist/ would load the very copy the source loads. A
 * workspace that needs another major than the root's gets its own nested copy (e.g.
 * packages/webhooks/node_modules/ipaddr.js 2 next to express's ipaddr.js 1 at the root): from
 * dist/ that import would find the root's copy, so such a package is bundled instead.
 */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (builtins.has(args.path)) return { path: args.path, external: true };
      if (args.path.startsWith('@switchyard/')) return undefined;
      const fromSource = resolved(createRequire(join(args.resolveDir, 'x.js')), args.path);
      const fromDist = resolved(fromRoot, args.path);
      if (fromSource !== undefined && fromSource === fromDist) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: Object.fromEntries(
    Object.entries(ENTRIES).map(([name, entry]) => [`${name}/main`, join(root, entry)]),
  ),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Stack traces name the TypeScript files and lines (node --enable-source-maps in the image).
  sourcesContent: false,
  plugins: [externalNpmPackages],
  metafile: true,
  logLevel: 'warning',
});

// dist/ holds CommonJS whatever a package.json above it says.
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

for (const [output, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (output.endsWith('.js')) console.log(`${output.padEnd(36)} ${(bytes / 1024).toFixed(0)} KiB`);
}

// The SDK is published, not run: its own build makes packages/sdk/dist (ESM, CommonJS, types and
// the published package.json; see packages/sdk/tsup.config.ts).
execFileSync('npm', ['run', 'build', '--workspace=@switchyard/sdk'], {
  cwd: root,
  stdio: 'inherit',
});
