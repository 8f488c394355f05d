import type { z } from 'zod';

// Defined in core so every package can refuse to start with one (a Redis unfit for queues, say).
export { ConfigError } from '@switchyard/core';

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
