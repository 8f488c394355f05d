import type { z } from 'zod';

/**
 * A configuration mistake. Its message is one line naming the variable or config path and what
 * is wrong, ready to print at start-up before exiting.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One line per zod issue: `WHERE: path.to.field: message`. */
export function describeIssues(where: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path
      .map((part, index) =>
        typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
      )
      .join('');
    return path ? `${where}: ${path}: ${issue.message}` : `${where}: ${issue.message}`;
  });
}
