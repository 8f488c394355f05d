import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { applyJsonPatch, applyMergePatch, type PatchOperation } from './json-patch';
import { REPO } from './repo';
import { readYaml, readYamlDocuments } from './yaml-documents';

/** One document of a manifest file; `file` is relative to the repository. */
export interface Manifest {
  file: string;
  object: any;
}

/** A kustomization (or component) directory as written. */
export interface Layer {
  dir: string;
  kustomization: any;
  /** Every path it names, relative to the repository: resources, components, patches, generator inputs. */
  references: string[];
  /** The documents of its own resource files. */
  manifests: Manifest[];
}

const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

export function loadLayer(dir: string): Layer {
  const kustomization = readYaml(join(REPO, dir, 'kustomization.yaml'));
  const at = (path: string) => relative(REPO, join(REPO, dir, path));
  const generators = [
    ...list(kustomization.configMapGenerator),
    ...list(kustomization.secretGenerator),
  ];
  const references = [
    ...list(kustomization.resources).map(at),
    ...list(kustomization.components).map(at),
    ...list(kustomization.patches).flatMap((patch) => (patch.path ? [at(patch.path)] : [])),
    ...generators.flatMap((g) => [...list(g.files), ...list(g.envs)].map(at)),
  ];
  const manifests = list(kustomization.resources)
    .map(at)
    .filter((path) => !isDir(join(REPO, path)))
    .flatMap((file) => readYamlDocuments(join(REPO, file)).map((object) => ({ file, object })));
  return { dir, kustomization, references, manifests };
}

/** The layer at `dir` and every layer it includes (bases, components), each once. */
export function layersFrom(dir: string, seen = new Set<string>()): Layer[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const layer = loadLayer(dir);
  const included = [...list(layer.kustomization.resources), ...list(layer.kustomization.components)]
    .map((path: string) => relative(REPO, join(REPO, dir, path)))
    .filter((path) => isDir(join(REPO, path)));
  return [layer, ...included.flatMap((child) => layersFrom(child, seen))];
}

/**
 * What `kustomize build dir` yields, as far as validation needs: resources of the bases and
 * components, generators replacing or merging data, and patches (JSON 6902, or merge patches of
 * maps and scalars). Name prefixes, labels, namespaces and images are left to kustomize: they
 * cannot make a manifest invalid.
 */
export function render(dir: string): Manifest[] {
  const layer = loadLayer(dir);
  const at = (path: string) => join(REPO, dir, path);
  const own = (paths: unknown) =>
    list(paths).flatMap((path: string) =>
      isDir(at(path)) ? render(relative(REPO, at(path))) : [],
    );
  let manifests = [
    ...own(layer.kustomization.resources),
    ...layer.manifests,
    ...own(layer.kustomization.components),
  ];
  for (const generator of list(layer.kustomization.configMapGenerator)) {
    manifests = generate(manifests, 'ConfigMap', generator, dir);
  }
  for (const generator of list(layer.kustomization.secretGenerator)) {
    manifests = generate(manifests, 'Secret', generator, dir);
  }
  for (const patch of list(layer.kustomization.patches)) {
    manifests = applyPatch(manifests, patch, dir);
  }
  return manifests;
}

function generate(manifests: Manifest[], kind: string, generator: any, dir: string): Manifest[] {
  const data: Record<string, string> = {};
  for (const file of list(generator.files)) {
    data[basename(file)] = readFileSync(join(REPO, dir, file), 'utf8');
  }
  for (const file of list(generator.envs)) {
    Object.assign(data, parseEnvFile(readFileSync(join(REPO, dir, file), 'utf8')));
  }
  Object.assign(data, parseEnvFile(list(generator.literals).join('\n')));
  const encoded =
    kind === 'Secret'
      ? Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        )
      : data;
  const file = join(dir, 'kustomization.yaml');
  const behavior = generator.behavior ?? 'create';
  const existing = manifests.find(
    (m) => m.object.kind === kind && m.object.metadata?.name === generator.name,
  );
  if (behavior === 'create') {
    if (existing) throw new Error(`${file}: ${kind} ${generator.name} exists already`);
    const object = { apiVersion: 'v1', kind, metadata: { name: generator.name }, data: encoded };
    return [...manifests, { file, object }];
  }
  if (!existing) throw new Error(`${file}: no ${kind} ${generator.name} to ${behavior}`);
  const { stringData: _, ...rest } = existing.object;
  const merged = behavior === 'merge' ? { ...existingData(existing.object), ...encoded } : encoded;
  const object = { ...rest, data: merged };
  return manifests.map((m) => (m === existing ? { file, object } : m));
}

/** A Secret's `stringData` counts as `data` once the API server has stored it. */
function existingData(object: any): Record<string, string> {
  const plain = Object.fromEntries(
    Object.entries(object.stringData ?? {}).map(([k, v]) => [
      k,
      Buffer.from(String(v)).toString('base64'),
    ]),
  );
  return { ...object.data, ...plain };
}

/** `KEY=VALUE` lines as kustomize reads env files: comments and blank lines skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 1) throw new Error(`not KEY=VALUE: ${trimmed}`);
    entries[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return entries;
}

function applyPatch(manifests: Manifest[], patch: any, dir: string): Manifest[] {
  const file = join(dir, patch.path);
  const content = readYaml(join(REPO, file));
  const jsonPatch = Array.isArray(content);
  const target = patch.target ?? { kind: content.kind, name: content.metadata?.name };
  const matches = manifests.filter(
    (m) =>
      (!target.kind || m.object.kind === target.kind) &&
      (!target.name || m.object.metadata?.name === target.name),
  );
  if (matches.length === 0) throw new Error(`${file}: its target matches no resource`);
  return manifests.map((m) => {
    if (!matches.includes(m)) return m;
    const object = jsonPatch
      ? applyJsonPatch(m.object, content as PatchOperation[])
      : applyMergePatch(m.object, content);
    return { file, object };
  });
}
