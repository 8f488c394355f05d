import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The monorepo root: the nearest folder above this file whose package.json has workspaces. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)
    ) {
      return dir;
    }
    if (dirname(dir) === dir)
      throw new Error('switchyard dev must run inside the Switchyard repository');
  }
}
