import { randomId, sha256Hex } from '@switchyard/core';

const KEY_PREFIX = 'sy_live_';
/** Characters of a key kept in clear as its public handle (`sy_live_` + 8). */
const HANDLE_LENGTH = KEY_PREFIX.length + 8;

/** A new API key: 160 random bits, shown to its owner once and stored only as a hash. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = randomId(KEY_PREFIX, 20);
  return { key, prefix: key.slice(0, HANDLE_LENGTH), hash: hashApiKey(key) };
}

/**
 * Keys carry 160 random bits, so a plain SHA-256 is enough (no slow hash needed: there is
 * nothing to brute-force) and lets auth be one lookup by hash.
 */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

export function looksLikeApiKey(text: string): boolean {
  return text.startsWith(KEY_PREFIX) && text.length > HANDLE_LENGTH;
}
