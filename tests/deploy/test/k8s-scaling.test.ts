import { exportedMetrics } from '../src/exported-metrics';
import { APPS, appContainer, containerSettings, find, ofKind, TREES } from '../src/k8s-tree';
import { render } from '../src/kustomize';
import { metricNames } from '../src/promql';

/**
 * KEDA scales workers and dispatchers on series the API really exports, at 80 % of one
 * process's slots as the config file sets them; the config and environment in the manifests
 * are ones the apps accept at start-up.
 */
describe.each(TREES)('%s', (tree) => {
  const manifests = render(tree);

  test('every app starts with the ConfigMaps’ environment and config file', () => {
    for (const app of Object.keys(APPS) as Array<keyof typeof APPS>) {
      const settings = containerSettings(manifests, app);
      expect(settings.env.PORT).toBe(8080);
      expect(settings.env.METRICS_PORT).toBe(9464);
      expect(settings.env.REDIS_URL).toBe('redis://switchyard-redis:6379');
    }
    expect(appContainer(manifests, 'api').ports[0].containerPort).toBe(8080);
    expect(appContainer(manifests, 'worker').ports[0].containerPort).toBe(9464);
  });

  test('the Secret holds placeholders only: empty, so nothing starts with a guessable token', () => {
    const secret = find(manifests, 'Secret', 'switchyard-secrets');
    const values = [
      ...Object.values(secret.stringData ?? {}),
      ...Object.values(secret.data ?? {}).map((v) => Buffer.from(String(v), 'base64').toString()),
    ];
    expect(values.length).toBe(4);
    expect(values.every((value) => value === '')).toBe(true);
  });

  test('ScaledObjects query series the API exports, through the prometheus trigger', async () => {
    const { byService } = await exportedMetrics();
    const objects = ofKind(manifests, 'ScaledObject');
    expect(objects.map((o) => o.metadata.name).sort()).toEqual([
      'switchyard-webhook-dispatcher',
      'switchyard-worker',
    ]);
    for (const object of objects) {
      expect(object.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      for (const trigger of object.spec.triggers) {
        expect(trigger.type).toBe('prometheus');
        expect(trigger.metadata.ignoreNullValues).toBe('false');
        const names = metricNames(trigger.metadata.query);
        expect(names.filter((name) => !byService.api.has(name))).toEqual([]);
      }
    }
  });

  test('thresholds are 80 % of one process’s slots for what each trigger counts', () => {
    const worker = containerSettings(manifests, 'worker');
    const dispatcher = containerSettings(manifests, 'webhook-dispatcher');
    const trigger = (name: string, trigger: string) =>
      find(manifests, 'ScaledObject', name).spec.triggers.find((t: any) => t.name === trigger);
    const expected = [
      ['switchyard-worker', 'interactive', 'jobs-interactive', worker.worker.concurrency],
      ['switchyard-worker', 'batch', 'jobs-batch', worker.worker.batchConcurrency],
      ['switchyard-webhook-dispatcher', 'deliveries', 'webhooks', dispatcher.webhooks.concurrency],
    ] as const;
    for (const [object, name, queue, slots] of expected) {
      const { metadata } = trigger(object, name);
      expect(Number(metadata.threshold)).toBe(slots * 0.8);
      // What needs a slot: items due now and items running, of that queue.
      expect(metadata.query).toContain(`switchyard_queue_backlog{queue="${queue}"}`);
      expect(metadata.query).toContain(`switchyard_queue_jobs{queue="${queue}", state="active"}`);
    }
    expect(trigger('switchyard-webhook-dispatcher', 'deliveries').metadata.query).toContain(
      'switchyard_webhook_outbox_events',
    );
  });
});

test('metricNames reads selectors, not functions, labels or durations, and refuses bad PromQL', () => {
  expect(
    metricNames(
      'sum by (queue) (rate(a_total{state="x"}[$__rate_interval])) / on () group_left max(b:c offset 5m)',
    ),
  ).toEqual(['a_total', 'b:c']);
  expect(() => metricNames('sum(rate(a_total[5m])')).toThrow(/PromQL syntax error/);
});
