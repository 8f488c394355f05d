import {
  createApiMetrics,
  createDispatcherMetrics,
  createWorkerMetrics,
} from '@switchyard/observability';

/** A metric family as Prometheus stores it: histograms become three series names. */
function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** A switchyard_* family as a process declares it. */
export interface MetricFamily {
  name: string;
  type: string;
  labels: string[];
}

type Service = 'api' | 'worker' | 'webhook-dispatcher';

export interface ExportedMetrics {
  /** Every series name a Switchyard process exposes, per service. */
  byService: Record<Service, Set<string>>;
  /** The switchyard_* families of each service, with their type and label names. */
  familiesByService: Record<Service, MetricFamily[]>;
  /** The union of them all. */
  all: Set<string>;
  /** The switchyard_* families (base names, without histogram suffixes). */
  families: Set<string>;
}

/** What the processes really export, read from the registries they build (Node defaults included). */
export async function exportedMetrics(): Promise<ExportedMetrics> {
  const registries = {
    api: createApiMetrics().registry,
    worker: createWorkerMetrics().registry,
    'webhook-dispatcher': createDispatcherMetrics().registry,
  };
  const byService = {} as ExportedMetrics['byService'];
  const familiesByService = {} as ExportedMetrics['familiesByService'];
  const all = new Set<string>();
  const families = new Set<string>();
  for (const [service, registry] of Object.entries(registries)) {
    const names = new Set<string>();
    for (const { name, type } of await registry.getMetricsAsJSON()) {
      for (const series of seriesNames(name, String(type))) names.add(series);
      if (name.startsWith('switchyard_')) families.add(name);
    }
    byService[service as Service] = names;
    for (const name of names) all.add(name);
    familiesByService[service as Service] = registry
      .getMetricsAsArray()
      .filter(({ name }) => name.startsWith('switchyard_'))
      // The instances keep their configuration's labelNames; prom-client's types omit them.
      .map((metric) => ({
        name: metric.name,
        type: String(metric.type),
        labels: [...((metric as { labelNames?: readonly string[] }).labelNames ?? [])],
      }));
  }
  return { byService, familiesByService, all, families };
}
