// Enforces the dependency direction apps → packages → core from the workspaces' manifests and
// their imports: core imports nothing of ours, packages never import apps, apps never import
// each other. Cycles between files are madge's job (npm run check:deps runs both).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const kinds = { apps: 'app', packages: 'package' };
const workspaces = new Map();
for (const [folder, kind] of Object.entries(kinds)) {
  for (const name of readdirSync(join(root, folder))) {
    const dir = join(root, folder, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    workspaces.set(manifest.name, { kind, dir, manifest });
  }
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const problems = [];
for (const [name, { kind, dir, manifest }] of workspaces) {
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }));
  for (const file of sourceFiles(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const [, target] of text.matchAll(/from '(@switchyard\/[a-z-]+)[^']*'/g)) {
      const where = relative(root, file);
      const other = workspaces.get(target);
      if (!other) continue;
      if (name === '@switchyard/core')
        problems.push(`${where}: core imports nothing of ours (${target})`);
      else if (kind === 'package' && other.kind === 'app')
        problems.push(`${where}: a package imports an app (${target})`);
      else if (kind === 'app' && other.kind === 'app')
        problems.push(`${where}: apps never import each other (${target})`);
      if (!declared.has(target))
        problems.push(`${where}: imports ${target} without declaring it in package.json`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`dependency direction ok (${workspaces.size} workspaces)`);
