import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './webhook-secret';

/**
 * The three headers a Standard Webhooks delivery carries. A type rather than an interface so it
 * passes as a plain header record (`Record<string, string>`) without a copy.
 */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export interface SignWebhookInput {
  /** Unique per message and stable across retries, so receivers can deduplicate. */
  id: string;
  /** When this attempt is sent; a Date is truncated to whole unix seconds. */
  timestamp: Date | number;
  /** The exact request body; receivers verify these bytes, so sign what is sent. */
  body: string;
  /** Every active `whsec_…` secret: during rotation the old and the new both sign. */
  secrets: readonly string[];
}

/**
 * Signs one delivery attempt the Standard Webhooks way: one `v1,<base64 HMAC-SHA256>` per secret
 * over `${id}.${timestamp}.${body}`, space-separated.
 * @throws Error when there is no secret, a secret is malformed or the id is empty;
 * RangeError when the timestamp is not a whole, non-negative number of seconds.
 */
export function signWebhook(input: SignWebhookInput): WebhookHeaders {
  const { id, body, secrets } = input;
  if (id === '') throw new Error('Webhook id must not be empty');
  if (secrets.length === 0) throw new Error('At least one webhook secret is needed to sign');
  const timestamp = unixSeconds(input.timestamp);
  // Decode every key before signing so one bad secret fails the whole call, not silently drops.
  const keys = secrets.map(secretKeyBytes);
  // The signed content is `${id}.${timestamp}.${body}`, fed in two parts so the body (kilobytes,
  // thousands of times a second) is not copied into a new string first.
  const prefix = `${id}.${timestamp}.`;
  const signatures = keys.map(
    (key) =>
      `v1,${createHmac('sha256', key).update(prefix, 'utf8').update(body, 'utf8').digest('base64')}`,
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

function unixSeconds(timestamp: Date | number): number {
  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`Webhook timestamp must be whole unix seconds, got ${String(timestamp)}`);
  }
  return seconds;
}
