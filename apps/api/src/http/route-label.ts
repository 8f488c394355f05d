/**
 * Names the route a request is for from its path alone, for metric labels: a path template of
 * the API (`/v1/jobs/{id}`), a mounted area (`/admin/queues`, `/docs`), or `unmatched`. It does
 * not depend on express having matched a route, so requests refused by middleware before their
 * route ran (401, 503) are still counted under their route.
 */
export function routeLabeller(
  templates: readonly string[],
  /** Areas labelled by their prefix: everything under `/docs/` is `/docs`. */
  areas: readonly string[] = [],
): (path: string) => string {
  const exact = new Map<string, string>();
  const patterns: Array<{ regex: RegExp; label: string }> = [];
  for (const template of templates) {
    if (!template.includes('{')) exact.set(template, template);
    else {
      const source = template
        .split('/')
        .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : escapeRegex(part)))
        .join('/');
      patterns.push({ regex: new RegExp(`^${source}$`), label: template });
    }
  }
  return (rawPath) => {
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
    const found = exact.get(path) ?? patterns.find(({ regex }) => regex.test(path))?.label;
    if (found) return found;
    return areas.find((area) => path === area || path.startsWith(`${area}/`)) ?? 'unmatched';
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
