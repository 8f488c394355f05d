/** One RFC 6902 operation, of the kinds kustomize overlays use. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** Applies RFC 6902 operations to a copy of `target`; throws when a path does not exist. */
export function applyJsonPatch<T>(target: T, operations: readonly PatchOperation[]): T {
  const result = structuredClone(target) as any;
  for (const { op, path, value } of operations) {
    const keys = path
      .split('/')
      .slice(1)
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = result;
    for (const key of keys) {
      if (parent?.[key] === undefined) throw new Error(`${op} ${path}: no ${key}`);
      parent = parent[key];
    }
    if (op !== 'add' && !(last in parent)) throw new Error(`${op} ${path}: nothing there`);
    if (Array.isArray(parent) && op === 'remove') parent.splice(Number(last), 1);
    else if (Array.isArray(parent) && op === 'add') {
      parent.splice(last === '-' ? parent.length : Number(last), 0, value);
    } else if (op === 'remove') delete parent[last];
    else parent[last] = value;
  }
  return result as T;
}

/**
 * Merges a patch of maps and scalars into a copy of `target` (what a strategic merge patch
 * does when it holds no lists; lists would need their merge keys, so they are refused).
 */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  const merge = (into: any, from: any, at: string): any => {
    if (Array.isArray(from)) throw new Error(`${at}: list patches are not supported here`);
    if (from === null || typeof from !== 'object') return from;
    const out = { ...(into ?? {}) };
    for (const [key, value] of Object.entries(from))
      out[key] = merge(out[key], value, `${at}.${key}`);
    return out;
  };
  return merge(structuredClone(target), patch, '') as T;
}
