import { randomBytes } from 'node:crypto';

/** The prefix Standard Webhooks puts on a secret, so it is recognisable in config and logs. */
const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks asks for keys of 24 to 64 bytes: shorter is too guessable, longer buys nothing. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Canonical, padded base64: Buffer.from is lenient, so a typo would otherwise decode to another key. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A new signing secret: `whsec_` followed by the base64 of `bytes` random bytes.
 * @param bytes - Key length, 24 to 64. @defaultValue 32
 * @throws RangeError when `bytes` is not an integer from 24 to 64.
 */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(
      `Webhook secret length must be an integer from ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes, got ${bytes}`,
    );
  }
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/**
 * The HMAC key of a `whsec_…` secret.
 * @throws Error when the prefix is missing, the rest is not base64, or the key is not 24 to 64 bytes
 * (we never issue such a secret, so it is a configuration mistake worth failing loudly on).
 */
export function secretKeyBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new Error('Malformed webhook secret: it must start with "whsec_"');
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) {
    throw new Error('Malformed webhook secret: the part after "whsec_" is not valid base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new Error(
      `Malformed webhook secret: the key must be ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}
