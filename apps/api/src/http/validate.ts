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
  const all = result.error.issues.flatMap((issue) => problemsOf(issue, where));
  const details = all.slice(0, MAX_DETAILS).map(({ detail }) => detail);
  const [first] = all;
  const more = all.length - 1;
  const rest =
    more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''}, listed in details)` : '';
  // A long name the client made up is quoted once, in details, not again here.
  const where1 = first!.namesInput ? 'a field named in details' : first!.detail.path;
  throw new InvalidRequestError(
    `Invalid request: ${where1}: ${first!.detail.message}${rest}`,
    details,
  );
}

interface Problem {
  detail: ErrorDetail;
  /**
   * The path holds a long name taken from the input (an unknown key, a key of a record): a short
   * one is named in the message too, a long one only in details.
   */
  namesInput: boolean;
}

function problemsOf(issue: z.core.$ZodIssue, where: string): Problem[] {
  const path = [where, ...issue.path.map((segment) => clip(String(segment)))].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      detail: { path: `${path}.${clip(key)}`, message: 'unknown field' },
      namesInput: key.length > MAX_FIELD_NAME,
    }));
  }
  // Schemas name their fields in ASCII words; a segment that was clipped came from the input.
  const namesInput = issue.path.some((segment) => String(segment).length > MAX_FIELD_NAME);
  return [{ detail: { path, message: issue.message }, namesInput }];
}

/** Longer than any field name a schema of ours has: such a path segment is the client's own. */
const MAX_FIELD_NAME = 32;
