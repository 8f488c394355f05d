import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './repo';

interface LockEntry {
  name?: string;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * The packages `npm install --omit=dev -w <workspace>…` installs for these workspaces, read
 * from package-lock.json the way Node resolves: from each package's folder up through the
 * node_modules folders above it. Names of npm packages only (workspace links are followed).
 */
export function productionPackages(workspaceDirs: readonly string[]): Set<string> {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const locate = (from: string, name: string): string | undefined => {
    const parts = from === '' ? [] : from.split('/');
    for (let i = parts.length; i >= 0; i--) {
      if (parts[i - 1] === 'node_modules') continue;
      const candidate = [...parts.slice(0, i), 'node_modules', name].join('/');
      const entry = lock.packages[candidate];
      if (entry) return entry.link ? entry.resolved : candidate;
    }
    return undefined;
  };
  const names = new Set<string>();
  const seen = new Set<string>();
  const pending = [...workspaceDirs];
  while (pending.length) {
    const at = pending.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const entry = lock.packages[at];
    if (!entry) throw new Error(`package-lock.json has no ${at}`);
    if (at.includes('node_modules/')) names.add(at.slice(at.lastIndexOf('node_modules/') + 13));
    const required = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter(
        (peer) => !entry.peerDependenciesMeta?.[peer]?.optional,
      ),
    ];
    for (const name of required) {
      const found = locate(at, name);
      if (!found) throw new Error(`${at} needs ${name}, which package-lock.json does not hold`);
      pending.push(found);
    }
    // Optional dependencies (platform binaries) are installed where they fit, if at all.
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      const found = locate(at, name);
      if (found) pending.push(found);
    }
  }
  return names;
}
