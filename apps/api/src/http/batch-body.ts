import { UnsupportedMediaTypeError } from '@switchyard/core';
import express, { type RequestHandler } from 'express';
import { decodingError, jsonBody } from './json-body';

/** The media types of an OpenAI Batch input file (`application/jsonl`, and its older names). */
export const JSONL_TYPES = ['application/jsonl', 'application/x-ndjson', 'application/jsonlines'];

/**
 * The body of `POST /v1/batches`, up to its own `limitBytes` (api.batch_body_limit_bytes: a
 * batch is far larger than one job): JSON is parsed as on every other route, a JSONL file is
 * kept as text for the route to read line by line (so a bad line can be named). Any other media
 * type is 415. Errors are typed as jsonBody's are.
 */
export function batchBody(limitBytes: number): RequestHandler {
  const json = jsonBody(limitBytes);
  const text = express.text({ limit: limitBytes, type: () => true });
  return (req, res, next) => {
    if (req.is(JSONL_TYPES)) {
      return text(req, res, (error?: unknown) => next(error && decodingError(error, req)));
    }
    const length = req.headers['content-length'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (hasBody && !req.is(['application/json', 'application/*+json'])) {
      return next(
        new UnsupportedMediaTypeError(
          req.headers['content-type'],
          'application/json or application/jsonl',
        ),
      );
    }
    json(req, res, next);
  };
}

/** The path of `POST /v1/batches` under `/v1`, as express matches it (case and a final `/`). */
const BATCHES_PATH = /^\/batches\/?$/i;

/**
 * Picks each `/v1` request's body parser: `POST /v1/batches` its own, every other route the
 * JSON parser with the ordinary limit.
 */
export function v1Body(limitBytes: number, batchLimitBytes: number): RequestHandler {
  const json = jsonBody(limitBytes);
  const batches = batchBody(batchLimitBytes);
  return (req, res, next) =>
    req.method === 'POST' && BATCHES_PATH.test(req.path)
      ? batches(req, res, next)
      : json(req, res, next);
}
