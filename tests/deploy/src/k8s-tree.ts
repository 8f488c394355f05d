import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, type Settings } from '@switchyard/config';
import type { Manifest } from './kustomize';

/** The installations the tests check: the base alone, and the example overlay built on it. */
export const TREES = ['k8s/base', 'k8s/overlays/example'] as const;

/** The three Switchyard processes, by the Deployment that runs each (and the image command). */
export const APPS = {
  api: 'switchyard-api',
  worker: 'switchyard-worker',
  'webhook-dispatcher': 'switchyard-webhook-dispatcher',
} as const;

export function find(manifests: readonly Manifest[], kind: string, name: string): any {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found.object;
}

export function ofKind(manifests: readonly Manifest[], kind: string): any[] {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
}

/** Deployments and StatefulSets: what runs pods. */
export function workloads(manifests: readonly Manifest[]): any[] {
  return manifests
    .map((m) => m.object)
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
}

/** True when every label a selector asks for is on the pod. */
export function selects(matchLabels: Record<string, string>, podLabels: Record<string, string>) {
  return Object.entries(matchLabels).every(([key, value]) => podLabels[key] === value);
}

/** The one container of an app's Deployment. */
export function appContainer(manifests: readonly Manifest[], app: keyof typeof APPS): any {
  const containers = find(manifests, 'Deployment', APPS[app]).spec.template.spec.containers;
  if (containers.length !== 1) throw new Error(`${APPS[app]}: expected one container`);
  return containers[0];
}

/** A Secret's values as the pod's environment sees them. */
function secretValues(secret: any): Record<string, string> {
  const decoded = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(String(v), 'base64').toString(),
    ]),
  );
  return { ...decoded, ...secret.stringData };
}

/**
 * The settings an app container starts with: its envFrom sources in order (later wins, as in
 * Kubernetes) and its config file taken from the mounted ConfigMap, loaded by the apps' own
 * parser, so a bad value here is a start-up error there.
 */
export function containerSettings(
  manifests: readonly Manifest[],
  app: keyof typeof APPS,
): Settings {
  const pod = find(manifests, 'Deployment', APPS[app]).spec.template.spec;
  const container = pod.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, find(manifests, 'ConfigMap', source.configMapRef.name).data);
    if (source.secretRef)
      Object.assign(env, secretValues(find(manifests, 'Secret', source.secretRef.name)));
  }
  const configPath = env.SWITCHYARD_CONFIG;
  const mount = container.volumeMounts.find((m: any) => configPath?.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${APPS[app]}: SWITCHYARD_CONFIG ${configPath} is not under a mount`);
  const volume = pod.volumes.find((v: any) => v.name === mount.name);
  const key = configPath!.slice(mount.mountPath.length + 1);
  const text = find(manifests, 'ConfigMap', volume.configMap.name).data[key];
  if (text === undefined) throw new Error(`${APPS[app]}: no ${key} in ${volume.configMap.name}`);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-k8s-'));
  try {
    writeFileSync(join(dir, key), text);
    return loadSettings({ ...env, SWITCHYARD_CONFIG: join(dir, key) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
