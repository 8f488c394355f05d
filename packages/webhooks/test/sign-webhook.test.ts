import { Webhook } from 'standardwebhooks';
import { signWebhook } from '../src/sign-webhook';
import { generateWebhookSecret, secretKeyBytes } from '../src/webhook-secret';

// The published Standard Webhooks / Svix example, so a mistake shared by our signer and the
// reference library could not hide.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const NOW_SECONDS = 1_750_000_000;
const body = JSON.stringify({ type: 'job.succeeded', data: { jobId: 'job_1' } });

function decodedLength(secret: string): number {
  return Buffer.from(secret.slice('whsec_'.length), 'base64').length;
}

describe('generateWebhookSecret', () => {
  it('prefixes the secret with whsec_', () => {
    expect(generateWebhookSecret()).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  });

  it('encodes 32 bytes by default', () => {
    expect(decodedLength(generateWebhookSecret())).toBe(32);
  });

  it.each([24, 32, 48, 64])('encodes exactly %i bytes when asked', (bytes) => {
    const secret = generateWebhookSecret(bytes);
    expect(decodedLength(secret)).toBe(bytes);
    expect(secretKeyBytes(secret)).toHaveLength(bytes);
  });

  it.each([23, 65, 0, -1, 32.5, Number.NaN])('refuses %p bytes', (bytes) => {
    expect(() => generateWebhookSecret(bytes)).toThrow(RangeError);
    expect(() => generateWebhookSecret(bytes)).toThrow(
      new RangeError(`Webhook secret length must be an integer from 24 to 64 bytes, got ${bytes}`),
    );
  });

  it('returns a different secret each call', () => {
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });
});

describe('secretKeyBytes', () => {
  it('decodes the key after the prefix', () => {
    expect(secretKeyBytes(VECTOR.secret)).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
  });

  it.each([
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'it must start with "whsec_"'],
    ['WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'it must start with "whsec_"'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!', 'the part after "whsec_" is not valid base64'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', 'the part after "whsec_" is not valid base64'],
    ['whsec_', 'the key must be 24 to 64 bytes, got 0'],
    ['whsec_c2hvcnQ=', 'the key must be 24 to 64 bytes, got 5'],
  ])('refuses %p', (secret, reason) => {
    expect(() => secretKeyBytes(secret)).toThrow(new Error(`Malformed webhook secret: ${reason}`));
  });
});

describe('signWebhook', () => {
  beforeEach(() => {
    // standardwebhooks checks the timestamp against Date.now().
    jest.spyOn(Date, 'now').mockReturnValue(NOW_SECONDS * 1000);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reproduces the published example signature', () => {
    expect(
      signWebhook({
        id: VECTOR.id,
        timestamp: VECTOR.timestamp,
        body: VECTOR.body,
        secrets: [VECTOR.secret],
      }),
    ).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
  });

  it('is verified by the standardwebhooks library', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: NOW_SECONDS, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs the same as standardwebhooks sign()', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: NOW_SECONDS, body, secrets: [secret] });
    expect(headers['webhook-signature']).toBe(
      new Webhook(secret).sign('msg_1', new Date(NOW_SECONDS * 1000), body),
    );
  });

  it('truncates a Date to whole seconds', () => {
    const secret = generateWebhookSecret();
    const fromDate = signWebhook({
      id: 'msg_1',
      timestamp: new Date(NOW_SECONDS * 1000 + 999),
      body,
      secrets: [secret],
    });
    const fromSeconds = signWebhook({
      id: 'msg_1',
      timestamp: NOW_SECONDS,
      body,
      secrets: [secret],
    });
    expect(fromDate).toEqual(fromSeconds);
    expect(fromDate['webhook-timestamp']).toBe(String(NOW_SECONDS));
  });

  it('signs with every secret during rotation, each verifiable alone', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const headers = signWebhook({
      id: 'msg_1',
      timestamp: NOW_SECONDS,
      body,
      secrets: [oldSecret, newSecret],
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('is refused by standardwebhooks when the verifier holds neither rotating secret', () => {
    const headers = signWebhook({
      id: 'msg_1',
      timestamp: NOW_SECONDS,
      body,
      secrets: [generateWebhookSecret(), generateWebhookSecret()],
    });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(
      'No matching signature found',
    );
  });

  it('is refused by standardwebhooks when the body is tampered with', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: NOW_SECONDS, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow(
      'No matching signature found',
    );
  });

  it('is refused by standardwebhooks when the id is changed', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: NOW_SECONDS, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow(
      'No matching signature found',
    );
  });

  it('is refused by standardwebhooks when the timestamp is stale', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({
      id: 'msg_1',
      timestamp: NOW_SECONDS - 301,
      body,
      secrets: [secret],
    });
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(
      'Message timestamp too old',
    );
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook({ id: 'msg_1', timestamp: NOW_SECONDS, body, secrets: [] })).toThrow(
      new Error('At least one webhook secret is needed to sign'),
    );
  });

  it('refuses a malformed secret even beside a good one', () => {
    expect(() =>
      signWebhook({
        id: 'msg_1',
        timestamp: NOW_SECONDS,
        body,
        secrets: [generateWebhookSecret(), 'not-a-secret'],
      }),
    ).toThrow(new Error('Malformed webhook secret: it must start with "whsec_"'));
  });

  it('refuses an empty id', () => {
    expect(() =>
      signWebhook({ id: '', timestamp: NOW_SECONDS, body, secrets: [generateWebhookSecret()] }),
    ).toThrow(new Error('Webhook id must not be empty'));
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [new Date(Number.NaN), 'Invalid Date'],
  ])('refuses the timestamp %p', (timestamp, shown) => {
    const sign = () =>
      signWebhook({ id: 'msg_1', timestamp, body, secrets: [generateWebhookSecret()] });
    expect(sign).toThrow(RangeError);
    expect(sign).toThrow(
      new RangeError(`Webhook timestamp must be whole unix seconds, got ${shown}`),
    );
  });
});
