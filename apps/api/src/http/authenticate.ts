import { timingSafeEqual } from 'node:crypto';
import { AuthenticationError, PermissionDeniedError, type Scope } from '@switchyard/core';
import { looksLikeApiKey, type TenantStore } from '@switchyard/tenancy';
import type { Request, RequestHandler } from 'express';

/** The user name admin routes take with HTTP Basic auth (browsers, Bull Board). */
const ADMIN_USER = 'admin';

/**
 * The admin credential of a request: a bearer token, or the password of HTTP Basic auth for the user
 * `admin` (Basic is for people in browsers; tenant keys are always bearer tokens).
 */
export function adminCredential(req: Request): string | undefined {
  const bearer = bearerToken(req);
  if (bearer !== undefined) return bearer;
  const [scheme, value] = (req.headers.authorization ?? '').split(' ', 2);
  if (value && scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString();
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === ADMIN_USER
      ? decoded.slice(colon + 1)
      : undefined;
  }
  return undefined;
}

export function bearerToken(req: Request): string | undefined {
  const [scheme, value] = (req.headers.authorization ?? '').split(' ', 2);
  return value && scheme?.toLowerCase() === 'bearer' ? value.trim() : undefined;
}

/** `/v1` routes: a live tenant API key as a bearer token, or 401. */
export function authenticateTenant(tenants: TenantStore): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    const principal = token ? await tenants.authenticate(token) : undefined;
    if (!principal) throw new AuthenticationError();
    res.locals.principal = principal;
    next();
  };
}

/** 403 unless the key carries `scope`. */
export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    if (!res.locals.principal.scopes.includes(scope)) {
      throw new PermissionDeniedError(`This API key lacks the "${scope}" scope.`);
    }
    next();
  };
}

/**
 * Admin routes: the admin token, compared in constant time. A tenant key is a valid credential
 * without the right, so it gets 403 rather than 401.
 */
export function authenticateAdmin(adminToken: string): RequestHandler {
  const expected = Buffer.from(adminToken);
  return (req, _res, next) => {
    const token = adminCredential(req);
    if (token !== undefined) {
      const given = Buffer.from(token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
      if (looksLikeApiKey(token)) {
        throw new PermissionDeniedError('Admin routes need the admin token, not a tenant API key.');
      }
    }
    throw new AuthenticationError('Missing or invalid admin token.');
  };
}
