import { entrypointApps } from '../src/dockerfile';
import { type Manifest, render } from '../src/kustomize';
import {
  APPS,
  appContainer,
  containerSettings,
  find,
  ofKind,
  selects,
  TREES,
  workloads,
} from '../src/k8s-tree';
import { readRepoFile } from '../src/repo';

/** How long each process may take to stop on SIGTERM, from its code and its config. */
function drainSeconds(manifests: Manifest[]): Record<keyof typeof APPS, number> {
  const worker = containerSettings(manifests, 'worker').worker;
  const webhooks = containerSettings(manifests, 'webhook-dispatcher').webhooks;
  // Each process exits by its own deadline at the latest (runUntilSignalled's forceExitMs in its
  // main.ts): the API's 25 s after its preStop sleep, a worker's shutdown grace + 20 s, the
  // dispatcher's webhook timeout + 15 s.
  return {
    api: 5 + 25,
    worker: worker.shutdownGraceMs / 1_000 + 20,
    'webhook-dispatcher': webhooks.timeoutMs / 1_000 + 15,
  };
}

const ENTRYPOINT_APPS = entrypointApps(readRepoFile('deploy/docker/entrypoint.sh'));

describe.each(TREES)('%s', (tree) => {
  const manifests = render(tree);
  const pods = workloads(manifests);

  test('workloads, Services, PDBs and network policies each select one set of pods', () => {
    for (const workload of pods) {
      expect(
        selects(workload.spec.selector.matchLabels, workload.spec.template.metadata.labels),
      ).toBe(true);
    }
    const selectors = [
      ...ofKind(manifests, 'Service').map((s) => s.spec.selector),
      ...ofKind(manifests, 'PodDisruptionBudget').map((p) => p.spec.selector.matchLabels),
      ...ofKind(manifests, 'NetworkPolicy').map((n) => n.spec.podSelector.matchLabels),
    ];
    for (const selector of selectors) {
      const matched = pods.filter((w) => selects(selector, w.spec.template.metadata.labels));
      expect({ selector, matched: matched.length }).toEqual({ selector, matched: 1 });
    }
  });

  test('autoscalers target Deployments that leave their replica count to them', () => {
    const targets = [
      ...ofKind(manifests, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name),
      ...ofKind(manifests, 'ScaledObject').map((s) => s.spec.scaleTargetRef.name),
    ];
    expect(targets.sort()).toEqual(Object.values(APPS).sort());
    for (const name of targets)
      expect(find(manifests, 'Deployment', name).spec.replicas).toBeUndefined();
  });

  test('every app runs the image by its command, on its own port', () => {
    for (const app of Object.keys(APPS) as Array<keyof typeof APPS>) {
      const container = appContainer(manifests, app);
      expect(container.args).toEqual([app]);
      expect(ENTRYPOINT_APPS).toContain(app);
      expect(container.ports).toEqual([
        app === 'api'
          ? { name: 'http', containerPort: 8080 }
          : { name: 'metrics', containerPort: 9464 },
      ]);
    }
    expect(find(manifests, 'Service', 'switchyard-api').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' },
    ]);
  });

  test('probes call declared container ports: liveness /healthz, readiness /readyz', () => {
    for (const workload of pods) {
      for (const container of workload.spec.template.spec.containers) {
        const ports = container.ports.flatMap((p: any) => [p.name, p.containerPort]);
        for (const probe of [container.livenessProbe, container.readinessProbe]) {
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (port !== undefined) expect(ports).toContain(port);
          else expect(probe.exec.command).toEqual(['redis-cli', 'ping']);
        }
      }
    }
    for (const app of Object.keys(APPS) as Array<keyof typeof APPS>) {
      const container = appContainer(manifests, app);
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    }
  });

  test('termination grace periods outlast each process’s drain', () => {
    for (const [app, drain] of Object.entries(drainSeconds(manifests))) {
      const pod = find(manifests, 'Deployment', APPS[app as keyof typeof APPS]).spec.template.spec;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drain);
    }
    expect(appContainer(manifests, 'api').lifecycle.preStop.sleep.seconds).toBe(5);
  });

  test('pods run as non-root on a read-only filesystem, without privileges, with resources', () => {
    for (const workload of pods) {
      const pod = workload.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(container.resources.limits.memory).toBeDefined();
      }
    }
  });

  test('network policies open the app ports, metrics to monitoring, and DNS and Redis egress', () => {
    const policy = (app: keyof typeof APPS) => find(manifests, 'NetworkPolicy', APPS[app]).spec;
    expect(policy('api').ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    for (const app of ['worker', 'webhook-dispatcher'] as const) {
      expect(policy(app).ingress).toEqual([
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
          ],
          ports: [{ port: 9464, protocol: 'TCP' }],
        },
      ]);
    }
    for (const app of Object.keys(APPS) as Array<keyof typeof APPS>) {
      expect(policy(app).policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy(app).egress.slice(0, 2)).toEqual([
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        { ports: [{ port: 6379, protocol: 'TCP' }] },
      ]);
    }
    expect(policy('worker').egress[2]).toEqual({ ports: [{ port: 443, protocol: 'TCP' }] });
    // Webhooks go to any public address, never a private one (the SSRF guard's ranges).
    const webhooks = policy('webhook-dispatcher').egress[2].to;
    expect(webhooks.map((to: any) => to.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
    expect(webhooks[0].ipBlock.except).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']),
    );
  });
});

test('the Redis component keeps an AOF on a persistent volume and never evicts', () => {
  const manifests = render('k8s/overlays/example');
  const conf = find(manifests, 'ConfigMap', 'switchyard-redis').data['redis.conf'];
  for (const line of [
    'appendonly yes',
    'appendfsync everysec',
    'maxmemory-policy noeviction',
    'dir /data',
  ]) {
    expect(conf.split('\n')).toContain(line);
  }
  const redis = find(manifests, 'StatefulSet', 'switchyard-redis').spec;
  expect(redis.volumeClaimTemplates.map((c: any) => c.metadata.name)).toEqual(['data']);
  expect(redis.template.spec.containers[0].volumeMounts).toContainEqual({
    name: 'data',
    mountPath: '/data',
  });
  expect(redis.serviceName).toBe('switchyard-redis');
  // The Service is the host and port the apps' REDIS_URL names.
  const url = new URL(find(manifests, 'ConfigMap', 'switchyard-env').data.REDIS_URL);
  expect(url.hostname).toBe(find(manifests, 'Service', 'switchyard-redis').metadata.name);
  expect(find(manifests, 'Service', 'switchyard-redis').spec.ports[0].port).toBe(Number(url.port));
});
