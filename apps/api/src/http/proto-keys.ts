/** A node of the walk, with the way back to the root (no path copied per level). */
interface Visit {
  node: object;
  key: string;
  parent: Visit | undefined;
}

/**
 * The path of the first `__proto__` key in a parsed JSON value, or `undefined`. JSON.parse makes
 * it an ordinary own key, but zod (and any JavaScript that copies an object by assignment) drops
 * it or sets a prototype with it: a metadata entry named so would vanish without a word. Walked
 * without recursion, since a body may nest thousands of levels deep.
 */
export function firstProtoKey(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const pending: Visit[] = [{ node: value, key: '', parent: undefined }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (!Array.isArray(visit.node) && Object.hasOwn(visit.node, '__proto__')) {
      return [...pathOf(visit), '__proto__'];
    }
    for (const [key, child] of Object.entries(visit.node)) {
      if (typeof child === 'object' && child !== null) {
        pending.push({ node: child as object, key, parent: visit });
      }
    }
  }
  return undefined;
}

function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}
