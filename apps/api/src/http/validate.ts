import { InvalidRequestError } from '@switchyard/core';
import type { z } from 'zod';

/**
 * Parses `value` with `schema` or throws a 400 whose `details` names every offending field,
 * prefixed by `where` (`body`, `query`).
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
  throw new InvalidRequestError(`Invalid request: ${summary}`, details);
}
