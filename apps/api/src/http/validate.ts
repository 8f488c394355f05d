import { clip, InvalidRequestError, type ErrorDetail } from '@switchyard/core';
import type { z } from 'zod';
import { firstProtoKey } from './proto-keys';

/** Most problems one 400 lists: enough to fix a request, bounded whatever was sent. */
export const MAX_DETAILS = 20;

/**
 * Parses `value` with `schema` or throws a 400 whose `details` names every offending field
 * (up to {@link MAX_DETAILS}), prefixed by `where` (`body`, `query`). The message states the first
 * problem. Names taken from the client's input (an unknown key, a metadata key) are clipped, and
 * zod's message that lists unknown keys is replaced by one detail per key: a megabyte key comes
 * back as 64 characters, not as a megabyte in the message and another in the details. A
 * `__proto__` key that the schema would silently drop (in `metadata`) is refused by name.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) {
    const proto = firstProtoKey(value);
    if (!proto) return result.data;
    const path = [where, ...proto.map((segment) => clip(segment))].join('.');
    throw new InvalidRequestError(
      `Invalid request: ${path}: "__proto__" is not accepted as a key.`,
      [{ path, message: '"__proto__" is not accepted as a key' }],
    );
  }
  const all = result.error.issues.flatMap((issue) => detailsOf(issue, where));
  const details = all.slice(0, MAX_DETAILS);
  const [first] = details;
  const more = all.length - 1;
  const rest =
    more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''}, listed in details)` : '';
  throw new InvalidRequestError(
    `Invalid request: ${first!.path}: ${first!.message}${rest}`,
    details,
  );
}

function detailsOf(issue: z.core.$ZodIssue, where: string): ErrorDetail[] {
  const path = [where, ...issue.path.map((segment) => clip(String(segment)))].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: `${path}.${clip(key)}`, message: 'unknown field' }));
  }
  return [{ path, message: issue.message }];
}
