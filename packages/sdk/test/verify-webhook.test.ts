import { Webhook } from 'standardwebhooks';
import { WebhookVerificationError, verifyWebhook } from '../src/verify-webhook';

// Fixed 32-byte keys (base64 of 0x01… and 0x02…) so failures are reproducible.
const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OTHER_SECRET = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const NOW = new Date('2025-06-15T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const ID = 'msg_2ZUs4Mxx6bVdNPiqnRVoSZU7xEZ';
const payload = { type: 'job.succeeded', data: { jobId: 'job_1', output: 'héllo' } };
const body = JSON.stringify(payload);

// A type alias, not an interface, so it stays assignable to the verifier's Record parameter.
type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A delivery as the reference library would sign it: the one valid case each test changes. */
function signed(
  overrides: { id?: string; seconds?: number; secret?: string; body?: string } = {},
): SignedHeaders {
  const id = overrides.id ?? ID;
  const seconds = overrides.seconds ?? NOW_SECONDS;
  const signature = new Webhook(overrides.secret ?? SECRET).sign(
    id,
    new Date(seconds * 1000),
    overrides.body ?? body,
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': signature,
  };
}

/** The error a call rejects with, so both its class and its exact message can be asserted. */
async function failure(run: () => Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

describe('verifyWebhook', () => {
  it('accepts a delivery signed by standardwebhooks and returns its payload', async () => {
    await expect(verifyWebhook(body, signed(), SECRET, { now: NOW })).resolves.toEqual(payload);
  });

  it('checks against the real clock by default', async () => {
    const seconds = Math.floor(Date.now() / 1000);
    await expect(verifyWebhook(body, signed({ seconds }), SECRET)).resolves.toEqual(payload);
  });

  it('accepts header names in any case', async () => {
    const headers = signed();
    const shouted = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webHook-Signature': headers['webhook-signature'],
    };
    await expect(verifyWebhook(body, shouted, SECRET, { now: NOW })).resolves.toEqual(payload);
  });

  it('accepts a fetch Headers object', async () => {
    await expect(verifyWebhook(body, new Headers(signed()), SECRET, { now: NOW })).resolves.toEqual(
      payload,
    );
  });

  it('accepts single-element array values, as Node header maps may hold', async () => {
    const headers = Object.fromEntries(
      Object.entries(signed()).map(([name, value]) => [name, [value]]),
    );
    await expect(verifyWebhook(body, headers, SECRET, { now: NOW })).resolves.toEqual(payload);
  });

  it('accepts when the sender signs with two secrets and we hold one (rotation)', async () => {
    const headers = signed();
    const rotating = {
      ...headers,
      'webhook-signature': `${signed({ secret: OTHER_SECRET })['webhook-signature']} ${headers['webhook-signature']}`,
    };
    await expect(verifyWebhook(body, rotating, SECRET, { now: NOW })).resolves.toEqual(payload);
  });

  it('accepts when we hold two secrets and the sender signs with one (rotation)', async () => {
    await expect(
      verifyWebhook(body, signed(), [OTHER_SECRET, SECRET], { now: NOW }),
    ).resolves.toEqual(payload);
  });

  it('skips signature versions it does not know', async () => {
    const headers = signed();
    const mixed = { ...headers, 'webhook-signature': `v1a,abc ${headers['webhook-signature']}` };
    await expect(verifyWebhook(body, mixed, SECRET, { now: NOW })).resolves.toEqual(payload);
  });

  it('accepts a timestamp exactly at the tolerance, both ways', async () => {
    for (const seconds of [NOW_SECONDS - 300, NOW_SECONDS + 300]) {
      await expect(verifyWebhook(body, signed({ seconds }), SECRET, { now: NOW })).resolves.toEqual(
        payload,
      );
    }
  });

  it('returns undefined for an empty body', async () => {
    await expect(
      verifyWebhook('', signed({ body: '' }), SECRET, { now: NOW }),
    ).resolves.toBeUndefined();
  });

  it.each<[string, () => Promise<unknown>, WebhookVerificationError['reason'], string]>([
    [
      'a tampered body',
      () => verifyWebhook(`${body} `, signed(), SECRET, { now: NOW }),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'a body re-serialised with other spacing',
      () => verifyWebhook(JSON.stringify(payload, null, 2), signed(), SECRET, { now: NOW }),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'the wrong secret',
      () => verifyWebhook(body, signed(), OTHER_SECRET, { now: NOW }),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'a changed id',
      () => verifyWebhook(body, { ...signed(), 'webhook-id': 'msg_other' }, SECRET, { now: NOW }),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'a timestamp changed within tolerance',
      () =>
        verifyWebhook(body, { ...signed(), 'webhook-timestamp': String(NOW_SECONDS + 1) }, SECRET, {
          now: NOW,
        }),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'only an unknown signature version',
      () =>
        verifyWebhook(
          body,
          { ...signed(), 'webhook-signature': signed()['webhook-signature'].replace('v1,', 'v2,') },
          SECRET,
          { now: NOW },
        ),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'a truncated signature',
      () =>
        verifyWebhook(
          body,
          { ...signed(), 'webhook-signature': signed()['webhook-signature'].slice(0, -2) },
          SECRET,
          { now: NOW },
        ),
      'no_matching_signature',
      'No matching webhook signature',
    ],
    [
      'a timestamp 301 seconds old',
      () => verifyWebhook(body, signed({ seconds: NOW_SECONDS - 301 }), SECRET, { now: NOW }),
      'timestamp_too_old',
      'Webhook timestamp is too old: more than 300 seconds in the past',
    ],
    [
      'a timestamp 301 seconds ahead',
      () => verifyWebhook(body, signed({ seconds: NOW_SECONDS + 301 }), SECRET, { now: NOW }),
      'timestamp_too_new',
      'Webhook timestamp is too new: more than 300 seconds in the future',
    ],
    [
      'a timestamp beyond a custom tolerance',
      () =>
        verifyWebhook(body, signed({ seconds: NOW_SECONDS - 31 }), SECRET, {
          now: NOW,
          toleranceSeconds: 30,
        }),
      'timestamp_too_old',
      'Webhook timestamp is too old: more than 30 seconds in the past',
    ],
    [
      'a timestamp in milliseconds',
      () =>
        verifyWebhook(body, { ...signed(), 'webhook-timestamp': String(NOW.getTime()) }, SECRET, {
          now: NOW,
        }),
      'timestamp_too_new',
      'Webhook timestamp is too new: more than 300 seconds in the future',
    ],
    [
      'a non-numeric timestamp',
      () =>
        verifyWebhook(body, { ...signed(), 'webhook-timestamp': '2025-06-15' }, SECRET, {
          now: NOW,
        }),
      'invalid_header',
      'Invalid webhook-timestamp header: expected unix seconds',
    ],
    [
      'two different ids',
      () =>
        verifyWebhook(body, { ...signed(), 'webhook-id': [ID, 'msg_other'] }, SECRET, { now: NOW }),
      'invalid_header',
      'More than one webhook-id header',
    ],
    [
      'a valid signature over a body that is not JSON',
      () => verifyWebhook('ok', signed({ body: 'ok' }), SECRET, { now: NOW }),
      'invalid_payload',
      'Webhook body is not valid JSON',
    ],
  ])('refuses %s', async (_case, run, reason, message) => {
    const error = await failure(run);
    expect(error.message).toBe(message);
    expect(error.reason).toBe(reason);
    expect(error.name).toBe('WebhookVerificationError');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a missing %s',
    async (name) => {
      const headers: Record<string, string | undefined> = signed();
      for (const without of [
        { ...headers, [name]: undefined },
        { ...headers, [name]: '' },
        Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name)),
      ]) {
        const error = await failure(() => verifyWebhook(body, without, SECRET, { now: NOW }));
        expect(error.message).toBe(`Missing ${name} header`);
        expect(error.reason).toBe('missing_header');
      }
    },
  );

  it.each([
    [SECRET.slice('whsec_'.length), 'it must start with "whsec_"'],
    [`whsec_${'!'.repeat(44)}`, 'the part after "whsec_" is not valid base64'],
    [SECRET.slice(0, -1), 'the part after "whsec_" is not valid base64'],
    [`whsec_${Buffer.alloc(23).toString('base64')}`, 'the key must be 24 to 64 bytes, got 23'],
    [`whsec_${Buffer.alloc(65).toString('base64')}`, 'the key must be 24 to 64 bytes, got 65'],
  ])('refuses the malformed secret %p', async (secret, reason) => {
    const error = await failure(() => verifyWebhook(body, signed(), secret, { now: NOW }));
    expect(error.message).toBe(`Malformed webhook secret: ${reason}`);
    expect(error.reason).toBe('malformed_secret');
  });

  it('refuses a malformed secret even when another one matches', async () => {
    const error = await failure(() =>
      verifyWebhook(body, signed(), [SECRET, 'oops'], { now: NOW }),
    );
    expect(error.message).toBe('Malformed webhook secret: it must start with "whsec_"');
  });

  it('refuses an empty list of secrets', async () => {
    const error = await failure(() => verifyWebhook(body, signed(), [], { now: NOW }));
    expect(error.message).toBe('No webhook secret was given');
    expect(error.reason).toBe('malformed_secret');
  });

  it('reports a malformed secret before a missing header', async () => {
    const error = await failure(() => verifyWebhook(body, {}, 'oops', { now: NOW }));
    expect(error.reason).toBe('malformed_secret');
  });

  it('throws RangeError for a negative tolerance or an invalid now', async () => {
    await expect(verifyWebhook(body, signed(), SECRET, { toleranceSeconds: -1 })).rejects.toThrow(
      new RangeError('toleranceSeconds must be a non-negative number, got -1'),
    );
    await expect(
      verifyWebhook(body, signed(), SECRET, { now: new Date(Number.NaN) }),
    ).rejects.toThrow(new RangeError('now must be a valid Date'));
  });
});
