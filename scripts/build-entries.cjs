// The apps `npm run build` bundles, by output name: dist/<name>/main.js. The image runs each by
// that name (deploy/docker/entrypoint.sh); tests/deploy checks the two agree.
module.exports = {
  api: 'apps/api/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  'webhook-dispatcher': 'apps/webhook-dispatcher/src/main.ts',
  simulator: 'packages/simulator/src/main.ts',
};
