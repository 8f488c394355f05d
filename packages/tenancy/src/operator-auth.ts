import { timingSafeEqual } from 'node:crypto';
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

/** The token of `Bearer <token>`, or the password of `Basic base64(admin:<token>)`. */
export function operatorCredential(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space <= 0) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (!value) return undefined;
  if (scheme === 'bearer') return value;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || !OPERATOR_BASIC_USERS.has(decoded.slice(0, colon))) return undefined;
  return decoded.slice(colon + 1);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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
