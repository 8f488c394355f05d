import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');

/** A file of the repository as text. */
export function readRepoFile(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}
