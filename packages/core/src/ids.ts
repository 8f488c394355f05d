import { randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet, lower-cased: no i, l, o or u, so IDs survive being read aloud. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Encodes bytes as base32 (5 bits per character, most significant first). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * A random, unguessable identifier: `prefix` + base32 of `bytes` random bytes.
 * 16 bytes (128 bits, 26 characters) is the floor for anything a client may hold as a capability.
 */
export function randomId(prefix: string, bytes = 16): string {
  return prefix + base32(randomBytes(bytes));
}

const ID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

export const newJobId = (): string => randomId('job_');
export const newTenantId = (): string => randomId('ten_');
export const newBatchId = (): string => randomId('batch_');
export const newRequestId = (): string => randomId('req_');

/** True when `id` has the shape of a job ID; anything else can be answered 404 without a lookup. */
export function isJobId(id: string): boolean {
  return id.startsWith('job_') && ID_BODY.test(id.slice(4));
}

/** True when `id` has the shape of a batch ID. */
export function isBatchId(id: string): boolean {
  return id.startsWith('batch_') && ID_BODY.test(id.slice(6));
}
