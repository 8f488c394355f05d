// Verifies Standard Webhooks signatures (https://www.standardwebhooks.com) with Web Crypto
// (`crypto.subtle`), which Node 20+, Deno, Bun, browsers and edge runtimes all have: this file
// ships to customers inside the SDK, and a verifier should neither pull in a tree nor tie the SDK
// to node:crypto. Web Crypto is asynchronous, hence the Promise.

/** Why a delivery was refused, for code that reacts to reasons rather than messages. */
export type WebhookVerificationFailure =
  | 'malformed_secret'
  | 'missing_header'
  | 'invalid_header'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature'
  | 'invalid_payload';

/** A delivery that must not be trusted; answer it with a 4xx and do not act on it. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly reason: WebhookVerificationFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyWebhookOptions {
  /**
   * How far, in seconds, the signed timestamp may be from `now` either way. Bounds how long a
   * captured delivery can be replayed. @defaultValue 300
   */
  toleranceSeconds?: number;
  /** The current time, for tests and for clocks you trust more than the host's. @defaultValue new Date() */
  now?: Date;
}

/** Header maps as Node (IncomingHttpHeaders), Express and fetch hand them out. */
export type WebhookRequestHeaders = Record<string, string | string[] | undefined> | Headers;

const SECRET_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Canonical, padded base64: a lenient decoder would turn a typo into another key. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks a Switchyard webhook delivery and returns its parsed JSON body.
 * @param body - The raw request body exactly as received: re-serialised JSON will not match.
 * @param secret - The endpoint's `whsec_…` secret, or several while rotating (any may match).
 * @returns The parsed payload, or undefined for an empty body. It is authenticated, not validated.
 * @throws WebhookVerificationError when the delivery cannot be trusted or the secret is malformed;
 *   RangeError for bad options. Both as a rejected Promise.
 */
export async function verifyWebhook(
  body: string,
  headers: WebhookRequestHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<unknown> {
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new RangeError(`toleranceSeconds must be a non-negative number, got ${toleranceSeconds}`);
  }
  const now = options.now ?? new Date();
  // An invalid Date would make every timestamp comparison false, i.e. accept any age.
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');
  // Decode keys first: a misconfigured secret should be reported as such, whatever the request.
  const keys = (typeof secret === 'string' ? [secret] : secret).map(decodeSecret);
  if (keys.length === 0) {
    throw new WebhookVerificationError('malformed_secret', 'No webhook secret was given');
  }

  const id = readHeader(headers, 'webhook-id');
  const timestampHeader = readHeader(headers, 'webhook-timestamp');
  const signatureHeader = readHeader(headers, 'webhook-signature');
  const timestamp = checkTimestamp(timestampHeader, now, toleranceSeconds);

  // Recompute over the parsed number, as the reference library does, so `0017…` cannot differ from `17…`.
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  if (!(await hasMatchingSignature(signatureHeader, keys, content))) {
    throw new WebhookVerificationError('no_matching_signature', 'No matching webhook signature');
  }
  return parsePayload(body);
}

function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw malformedSecret('it must start with "whsec_"');
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) {
    throw malformedSecret('the part after "whsec_" is not valid base64');
  }
  const key = fromBase64(encoded);
  // Switchyard never issues keys outside this range, so one is a copy-paste mistake.
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw malformedSecret(
      `the key must be ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}

function malformedSecret(reason: string): WebhookVerificationError {
  return new WebhookVerificationError('malformed_secret', `Malformed webhook secret: ${reason}`);
}

/** One header's value, whatever the case of its name; repeated values are refused, not guessed. */
function readHeader(headers: WebhookRequestHeaders, name: string): string {
  const values = isFetchHeaders(headers)
    ? [headers.get(name)]
    : Object.entries(headers)
        .filter(([key]) => key.toLowerCase() === name)
        .flatMap(([, value]) => value);
  // An empty value is what some proxies leave of a stripped header: treat it as absent.
  const present = values.filter((value): value is string => !!value);
  if (present.length === 0) {
    throw new WebhookVerificationError('missing_header', `Missing ${name} header`);
  }
  if (present.length > 1) {
    throw new WebhookVerificationError('invalid_header', `More than one ${name} header`);
  }
  return present[0] as string;
}

/** Duck-typed so a polyfilled or other-realm Headers works too. */
function isFetchHeaders(headers: WebhookRequestHeaders): headers is Headers {
  return typeof headers.get === 'function';
}

function checkTimestamp(header: string, now: Date, toleranceSeconds: number): number {
  if (!/^\d{1,15}$/.test(header)) {
    throw new WebhookVerificationError(
      'invalid_header',
      'Invalid webhook-timestamp header: expected unix seconds',
    );
  }
  const timestamp = Number(header);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `Webhook timestamp is too old: more than ${toleranceSeconds} seconds in the past`,
    );
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `Webhook timestamp is too new: more than ${toleranceSeconds} seconds in the future`,
    );
  }
  return timestamp;
}

/**
 * True when any `v1,` entry is the HMAC of `content` under any key; other versions are skipped.
 * `subtle.verify` compares in constant time, so the bytes of a valid signature never leak.
 */
async function hasMatchingSignature(
  header: string,
  keys: readonly Uint8Array<ArrayBuffer>[],
  content: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const subtle = webCrypto();
  const hmacKeys = await Promise.all(
    keys.map((key) =>
      subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
    ),
  );
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    // Not base64 at all: it cannot be a signature of ours.
    if (!BASE64.test(encoded)) continue;
    const received = fromBase64(encoded);
    for (const key of hmacKeys) {
      if (await subtle.verify('HMAC', key, received, content)) return true;
    }
  }
  return false;
}

function webCrypto(): typeof globalThis.crypto.subtle {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    // Node before 19 without --experimental-global-webcrypto; the SDK needs Node 20+.
    throw new Error('verifyWebhook needs Web Crypto (globalThis.crypto.subtle): use Node 20+');
  }
  return subtle;
}

function fromBase64(encoded: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
}

function parsePayload(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new WebhookVerificationError('invalid_payload', 'Webhook body is not valid JSON', {
      cause: error,
    });
  }
}
