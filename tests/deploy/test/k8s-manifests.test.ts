import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateManifest } from '../src/k8s-models';
import { layersFrom, render } from '../src/kustomize';
import { TREES } from '../src/k8s-tree';
import { REPO } from '../src/repo';

/**
 * Every manifest under k8s/ is listed by a kustomization, names only files that exist, and
 * validates against its schema: as written, and as built (patches and generators applied).
 */
const layers = layersFrom('k8s/overlays/example');
const label = (m: { file: string; object: any }) =>
  `${m.file} ${m.object.kind}/${m.object.metadata?.name}`;

test('the example overlay includes the base and the Redis component', () => {
  expect(layers.map((l) => l.dir)).toEqual([
    'k8s/overlays/example',
    'k8s/base',
    'k8s/components/redis',
  ]);
});

test.each(layers.map((l) => [l.dir, l] as const))('%s names only files that exist', (_, layer) => {
  const missing = layer.references.filter((path) => !existsSync(join(REPO, path)));
  expect(missing).toEqual([]);
});

test('every file under k8s/ is a kustomization or named by one', () => {
  const named = new Set(
    layers.flatMap((l) => [...l.references, join(l.dir, 'kustomization.yaml')]),
  );
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? files(path) : [relative(REPO, path)];
    });
  expect(files(join(REPO, 'k8s')).filter((file) => !named.has(file))).toEqual([]);
});

const written = layers.flatMap((l) => l.manifests);
test.each(written.map((m) => [label(m), m.object]))('%s validates as written', (_, object) => {
  expect(() => validateManifest(object)).not.toThrow();
});

for (const tree of TREES) {
  const built = render(tree);
  test.each(built.map((m) => [label(m), m.object]))(`${tree} builds %s valid`, (_, object) => {
    expect(() => validateManifest(object)).not.toThrow();
  });
}

test('the overlay patches change what they mean to', () => {
  const built = render('k8s/overlays/example');
  const get = (kind: string, name: string) =>
    built.find((m) => m.object.kind === kind && m.object.metadata.name === name)!.object;
  expect(get('HorizontalPodAutoscaler', 'switchyard-api').spec).toMatchObject({
    minReplicas: 3,
    maxReplicas: 20,
  });
  const prometheus = 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';
  for (const name of ['switchyard-worker', 'switchyard-webhook-dispatcher']) {
    const triggers = get('ScaledObject', name).spec.triggers;
    expect(triggers.map((t: any) => t.metadata.serverAddress)).toEqual(
      triggers.map(() => prometheus),
    );
  }
  expect(Object.keys(get('Secret', 'switchyard-secrets').data).sort()).toEqual([
    'ANTHROPIC_API_KEY',
    'OPENAI_API_KEY',
    'SWITCHYARD_ADMIN_TOKEN',
    'SWITCHYARD_VIEWER_TOKEN',
  ]);
});

test('a manifest that breaks its schema is caught', () => {
  const deployment = render('k8s/base').find((m) => m.object.kind === 'Deployment')!.object;
  const broken = structuredClone(deployment);
  broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
  expect(() => validateManifest(broken)).toThrow(/containerPort must be integer/);
});
