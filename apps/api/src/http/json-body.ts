import { UnsupportedMediaTypeError } from '@switchyard/core';
import express, { type RequestHandler } from 'express';

/**
 * Parses JSON bodies up to `limitBytes`. A body in any other media type is 415; a body too large
 * is 413 and malformed JSON 400 (both raised by the parser and typed in error-handler.ts).
 * Requests without a body pass through with `req.body` undefined.
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
    parse(req, res, next);
  };
}
