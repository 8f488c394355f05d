import { InvalidRequestError, quoted, UnsupportedMediaTypeError } from '@switchyard/core';
import express, { type Request, type RequestHandler } from 'express';

/**
 * Parses JSON bodies up to `limitBytes`. A body in any other media type is 415; a body too large
 * is 413 and malformed JSON 400 (both raised by the parser and typed in error-handler.ts), and so
 * is a body that does not decompress as its `Content-Encoding` says (an encoding the parser does
 * not know is 415). Requests without a body pass through with `req.body` undefined.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: false, type: () => true });
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    if (!req.is(['application/json', 'application/*+json'])) {
      return next(new UnsupportedMediaTypeError(req.headers['content-type']));
    }
    parse(req, res, (error?: unknown) => next(error && decodingError(error, req)));
  };
}

/**
 * The parser's own errors carry a `type`; the one it passes on untyped is the decompressor's
 * (zlib's "incorrect header check", "unexpected end of file", brotli's), which is the client's
 * body not matching its `Content-Encoding`.
 */
export function decodingError(error: unknown, req: Request): unknown {
  const encoding = req.headers['content-encoding'];
  const typed = (error as { type?: unknown }).type !== undefined;
  if (typed || encoding === undefined || encoding.toLowerCase() === 'identity') return error;
  return new InvalidRequestError(
    `The request body is not valid ${quoted(encoding)} data, as its Content-Encoding says.`,
    [{ path: 'header.Content-Encoding', message: 'the body does not decode with it' }],
  );
}
