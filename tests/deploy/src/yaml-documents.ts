import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/**
 * Every document of a YAML file as plain data. Merge keys (`<<: *anchor`) are resolved as Docker
 * Compose resolves them; a syntax error or a warning fails loudly rather than yielding less.
 */
export function readYamlDocuments(path: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  if (!Array.isArray(documents)) return [];
  return documents.map((document) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length) throw new Error(`${path}: ${problems.map((p) => p.message).join('; ')}`);
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

/** The single document of a YAML file. */
export function readYaml(path: string): any {
  const documents = readYamlDocuments(path);
  if (documents.length !== 1)
    throw new Error(`${path}: expected one document, found ${documents.length}`);
  return documents[0];
}
