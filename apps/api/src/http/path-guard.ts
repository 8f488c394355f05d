import { InvalidRequestError } from '@switchyard/core';
import type { RequestHandler } from 'express';

/** Only a path with an escape or a dot segment needs a closer look: most have neither. */
const MAY_BE_ODD = /%|\/\.\.?(?:\/|$)/;

/**
 * Checks the path once, at the door, for what no route can serve: a malformed percent-encoding
 * (`%`, `%ff`, `%E0%A4%A`, an overlong `%C0%AF`), which express would throw on when decoding a
 * route's parameter (a 500 before), or a `.`/`..` segment, plain or encoded, which clients
 * normalise away before sending (only a crafted request holds one, and static file areas would
 * answer it with a redirect page quoting the path). Either is 400, on every route, Bull Board's
 * and the static areas' included.
 */
export const checkPath: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split('?', 1)[0]!;
  if (!MAY_BE_ODD.test(path)) return next();
  const problem = pathProblem(path);
  if (!problem) return next();
  next(
    new InvalidRequestError(`The path ${problem.message}.`, [
      { path: 'path', message: problem.detail },
    ]),
  );
};

/** What is wrong with a path as received, or `undefined`. */
export function pathProblem(path: string): { message: string; detail: string } | undefined {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return {
        message:
          'has a malformed percent-encoding: each % must start an escape of UTF-8 bytes, like %2F',
        detail: 'malformed percent-encoding',
      };
    }
    if (decoded.split('/').some((part) => part === '.' || part === '..')) {
      return { message: 'has a "." or ".." segment', detail: 'dot segment' };
    }
  }
  return undefined;
}
