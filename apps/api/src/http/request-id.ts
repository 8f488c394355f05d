import { newRequestId } from '@switchyard/core';
import type { RequestHandler } from 'express';

/** Gives every request an ID, echoed as `X-Request-Id` and in every error body. */
export const requestId: RequestHandler = (_req, res, next) => {
  res.locals.requestId = newRequestId();
  res.setHeader('X-Request-Id', res.locals.requestId);
  next();
};
