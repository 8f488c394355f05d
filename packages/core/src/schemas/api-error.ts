import { z } from 'zod';

/** The `type` of an HTTP error body; one per status the contract names. */
export const ApiErrorType = z.enum([
  'invalid_request',
  'authentication_error',
  'permission_denied',
  'budget_exceeded',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_mismatch',
  'rate_limited',
  'internal_error',
  'service_unavailable',
]);
export type ApiErrorType = z.infer<typeof ApiErrorType>;

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** Every HTTP error: `{"error": {type, message, request_id, details?}}`. */
export const ErrorBody = z
  .object({
    error: z.object({
      type: ApiErrorType,
      message: z.string(),
      request_id: z.string(),
      details: z.array(ErrorDetail).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
