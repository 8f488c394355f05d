import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportedMetrics } from '../src/exported-metrics';
import { metricNames } from '../src/promql';
import { readRepoFile, REPO } from '../src/repo';
import { readYaml } from '../src/yaml-documents';

/**
 * deploy/: the alert rules pass promtool (syntax and their unit tests), and every series a
 * rule or a dashboard panel names is one the processes export.
 */
const run = promisify(execFile);
const RULES = 'deploy/prometheus/alerts.yml';
const rules: Array<{ alert: string; expr: string }> = readYaml(join(REPO, RULES)).groups.flatMap(
  (group: { rules: unknown[] }) => group.rules,
);
const dashboard = JSON.parse(readRepoFile('deploy/grafana/switchyard-dashboard.json'));
const panels: any[] = dashboard.panels.filter((panel: any) => panel.type !== 'row');
/** promtool, from Prometheus (Debian: the `prometheus` package); a missing one fails, named. */
function promtool(args: string[], cwd = REPO): Promise<{ stdout: string }> {
  return run('promtool', args, { cwd }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new Error('promtool not found on PATH (Debian/Ubuntu: apt-get install prometheus)');
    }
    throw error;
  });
}
/** Prometheus's own series for each scrape target: the only name not from our registries. */
const PROMETHEUS_SERIES = new Set(['up']);

test('promtool check rules passes', async () => {
  const { stdout } = await promtool(['check', 'rules', RULES]);
  expect(stdout).toBe(`Checking ${RULES}\n  SUCCESS: ${rules.length} rules found\n\n`);
});

test('promtool test rules: the paging alerts fire on what they must and only on it', async () => {
  const { stdout } = await promtool(
    ['test', 'rules', 'alerts.test.yml'],
    join(REPO, 'deploy/prometheus'),
  );
  expect(stdout).toBe('Unit Testing:  alerts.test.yml\n  SUCCESS\n\n');
});

test('every rule selects only exported series', async () => {
  const { all } = await exportedMetrics();
  const unknown = rules.flatMap(({ alert, expr }) =>
    metricNames(expr)
      .filter((name) => !all.has(name) && !PROMETHEUS_SERIES.has(name))
      .map((name) => `${alert}: ${name}`),
  );
  expect(unknown).toEqual([]);
  expect(rules.map((r) => r.alert)).toEqual([...new Set(rules.map((r) => r.alert))]);
});

test('every panel query parses and selects only exported series', async () => {
  const { all } = await exportedMetrics();
  const unknown = panels.flatMap((panel) =>
    panel.targets.flatMap((target: { expr: string }) =>
      metricNames(target.expr)
        .filter((name) => !all.has(name))
        .map((name) => `${panel.title}: ${name}`),
    ),
  );
  expect(unknown).toEqual([]);
});

test('the dashboard shows every switchyard_* family the processes export', async () => {
  const { families } = await exportedMetrics();
  const shown = new Set(
    panels
      .flatMap((panel) => panel.targets.flatMap((t: { expr: string }) => metricNames(t.expr)))
      .map((name: string) => name.replace(/_(bucket|sum|count)$/, '')),
  );
  expect([...families].filter((family) => !shown.has(family))).toEqual([]);
  for (const node of ['process_cpu_seconds_total', 'process_resident_memory_bytes']) {
    expect(shown).toContain(node);
  }
});

test('panels use the datasource variable, have unique ids and do not overlap', () => {
  expect(dashboard.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource' });
  const ids = dashboard.panels.map((panel: any) => panel.id);
  expect(new Set(ids).size).toBe(ids.length);
  const cells = new Set<string>();
  const overlaps: string[] = [];
  for (const panel of dashboard.panels) {
    const { x, y, w, h } = panel.gridPos;
    expect(x + w).toBeLessThanOrEqual(24);
    for (let row = y; row < y + h; row++) {
      for (let column = x; column < x + w; column++) {
        if (cells.has(`${row}:${column}`)) overlaps.push(`${panel.title} at ${row}:${column}`);
        cells.add(`${row}:${column}`);
      }
    }
  }
  expect(overlaps).toEqual([]);
  for (const panel of panels) {
    expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
  }
});
