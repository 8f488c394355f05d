import { base32, isJobId, newJobId, newRequestId, newTenantId, randomId } from '../src';

test('base32 encodes 5 bits per character, most significant first', () => {
  expect(base32(Uint8Array.from([0, 0, 0, 0, 0]))).toBe('00000000');
  expect(base32(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('zzzzzzzz');
  // 0x08 = 00001000 → 00001 000(00) → "1" "0"
  expect(base32(Uint8Array.from([0x08]))).toBe('10');
});

test('job IDs carry 128 random bits in 26 base32 characters', () => {
  const id = newJobId();
  expect(id).toMatch(/^job_[0-9a-hjkmnp-tv-z]{26}$/);
  expect(isJobId(id)).toBe(true);
});

test('IDs do not repeat', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newJobId()));
  expect(ids.size).toBe(10_000);
});

test('isJobId refuses anything not shaped like a job ID', () => {
  expect(isJobId('job_123')).toBe(false);
  expect(isJobId(newTenantId())).toBe(false);
  expect(isJobId(`job_${'i'.repeat(26)}`)).toBe(false);
  expect(isJobId(`${newJobId()}x`)).toBe(false);
});

test('prefixes name what an ID points at', () => {
  expect(newTenantId()).toMatch(/^ten_/);
  expect(newRequestId()).toMatch(/^req_/);
  expect(randomId('x_', 5)).toMatch(/^x_[0-9a-z]{8}$/);
});
