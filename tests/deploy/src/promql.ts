import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval variables, replaced by a duration so a panel's query parses as PromQL. */
const GRAFANA_INTERVALS = /\$__(rate_interval|interval|range)\b/g;

/**
 * The metric names a PromQL expression selects, from Prometheus's own grammar (the one its UI
 * uses), so function names, keywords, label names and durations never count as metrics.
 * Throws on a syntax error, naming where it is.
 */
export function metricNames(expression: string): string[] {
  const query = expression.replace(GRAFANA_INTERVALS, '5m');
  const names = new Set<string>();
  const cursor = parser.parse(query).cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) {
      throw new Error(`PromQL syntax error at ${node.from} in: ${query}`);
    }
    if (node.type.name === 'Identifier' && node.parent?.type.name === 'VectorSelector') {
      names.add(query.slice(node.from, node.to));
    }
  } while (cursor.next());
  return [...names];
}
