import { z } from 'zod';

/** The `Idempotency-Key` header of a submit (a job or a batch). */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters without spaces');
