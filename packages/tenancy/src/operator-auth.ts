import { createHash, timingSafeEqual } from 'node:crypto';
import { looksLikeApiKey } from './secrets';

/**
 * Who runs the platform, as opposed to the tenants who use it: `admin` may change anything
 * (tenants, keys, the queues in Bull Board); `viewer` may only look (Bull Board read-only and
 * `/metrics`), so it can be handed to dashboards, scrapers and on-call people.
 */
export type OperatorRole = 'admin' | 'viewer';

export interface OperatorTokens {
  /** SWITCHYARD_ADMIN_TOKEN (required by the API; a worker without it serves metrics to viewers only). */
  admin: string | undefined;
  /** SWITCHYARD_VIEWER_TOKEN, when set. */
  viewer?: string | undefined;
}

/** What an `Authorization` header says about an operator. */
export type OperatorAuth =
  | { kind: 'operator'; role: OperatorRole }
  /** No credential at all: a browser that has not been asked yet. */
  | { kind: 'missing' }
  /** A tenant API key: a valid credential without the right (403, not 401). */
  | { kind: 'tenant_key' }
  | { kind: 'invalid' };

/**
 * User names of HTTP Basic auth for operators; the password is the token, and the token alone
 * decides the role (`viewer` is accepted so a read-only login reads as one).
 */
const OPERATOR_BASIC_USERS: ReadonlySet<string> = new Set(['admin', 'viewer']);

/**
 * The challenge every operator 401 carries: without it a browser never shows its login prompt
 * and never sends Basic credentials (RFC 7617).
 */
export const OPERATOR_CHALLENGE = 'Basic realm="Switchyard", charset="UTF-8"';

/**
 * The operator credential of a request: a bearer token, or the password of HTTP Basic auth for
 * the user `admin` or `viewer` (Basic is for people in browsers). Tokens are compared in
 * constant time.
 */
export function authorizeOperator(
  authorization: string | undefined,
  tokens: OperatorTokens,
): OperatorAuth {
  const token = operatorCredential(authorization);
  if (token === undefined) return { kind: 'missing' };
  if (tokens.admin && sameSecret(token, tokens.admin)) return { kind: 'operator', role: 'admin' };
  if (tokens.viewer && sameSecret(token, tokens.viewer)) {
    return { kind: 'operator', role: 'viewer' };
  }
  return looksLikeApiKey(token) ? { kind: 'tenant_key' } : { kind: 'invalid' };
}

/** An `Authorization` header's scheme (lower case) and credentials, if it has both. */
function parseAuthorization(
  authorization: string | undefined,
): { scheme: string; value: string } | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space <= 0) return undefined;
  const value = authorization.slice(space + 1).trim();
  return value ? { scheme: authorization.slice(0, space).toLowerCase(), value } : undefined;
}

/** The token of `Authorization: Bearer <token>` (how tenants send their API keys). */
export function bearerCredential(authorization: string | undefined): string | undefined {
  const parsed = parseAuthorization(authorization);
  return parsed?.scheme === 'bearer' ? parsed.value : undefined;
}

/** The token of `Bearer <token>`, or the password of `Basic base64(admin:<token>)`. */
export function operatorCredential(authorization: string | undefined): string | undefined {
  const parsed = parseAuthorization(authorization);
  if (parsed?.scheme === 'bearer') return parsed.value;
  if (parsed?.scheme !== 'basic') return undefined;
  const decoded = Buffer.from(parsed.value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || !OPERATOR_BASIC_USERS.has(decoded.slice(0, colon))) return undefined;
  return decoded.slice(colon + 1);
}

/** Compares digests, which always have the same length: not even a token's length leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may read `/metrics`: any operator (admin or viewer); a tenant key is a valid credential
 * without the right; anything else is asked to authenticate.
 */
export function scrapeAccess(
  authorization: string | undefined,
  tokens: OperatorTokens,
): 'allowed' | 'missing' | 'forbidden' {
  const auth = authorizeOperator(authorization, tokens);
  if (auth.kind === 'operator') return 'allowed';
  return auth.kind === 'tenant_key' ? 'forbidden' : 'missing';
}

/**
 * How a process's own ops server (worker, dispatcher) lets operators in: `access` for its
 * `/metrics`, and the Basic challenge a browser needs to ask for credentials.
 */
export function operatorScrapeGate(tokens: OperatorTokens): {
  access: (authorization: string | undefined) => 'allowed' | 'missing' | 'forbidden';
  challenge: string;
} {
  return {
    access: (authorization) => scrapeAccess(authorization, tokens),
    challenge: OPERATOR_CHALLENGE,
  };
}
