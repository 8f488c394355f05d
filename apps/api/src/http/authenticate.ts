import { ApiError, AuthenticationError, PermissionDeniedError, type Scope } from '@switchyard/core';
import {
  authorizeOperator,
  bearerCredential,
  OPERATOR_CHALLENGE,
  type OperatorRole,
  type OperatorTokens,
  type TenantStore,
} from '@switchyard/tenancy';
import type { RequestHandler } from 'express';

/** `/v1` routes: a live tenant API key as a bearer token, or 401. */
export function authenticateTenant(tenants: TenantStore): RequestHandler {
  return async (req, res, next) => {
    const token = bearerCredential(req.headers.authorization);
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
 * 401 of operator routes. It challenges for HTTP Basic: a browser only shows its login prompt,
 * and only sends the credentials it was given, after a 401 that names a Basic realm.
 */
export class OperatorAuthenticationError extends ApiError {
  constructor() {
    super(
      401,
      'authentication_error',
      'Missing or invalid operator token. Send "Authorization: Bearer <token>", or the token as ' +
        'the HTTP Basic password of the user "admin".',
      undefined,
      { 'WWW-Authenticate': OPERATOR_CHALLENGE },
    );
  }
}

/** Who may pass an operator guard. */
export const ADMIN_ONLY: ReadonlySet<OperatorRole> = new Set(['admin']);
export const ANY_OPERATOR: ReadonlySet<OperatorRole> = new Set(['admin', 'viewer']);

/**
 * Operator routes (`/admin/*`, Bull Board, `/metrics`): the admin or viewer token, as a bearer
 * token or a Basic password. No credential or a wrong one is 401 with the Basic challenge; a
 * tenant key, or an operator whose role is not in `allowed`, holds a valid credential without
 * the right, so that is 403. Sets `res.locals.operatorRole` for what follows.
 */
export function authenticateOperator(
  tokens: OperatorTokens,
  allowed: ReadonlySet<OperatorRole>,
): RequestHandler {
  return (req, res, next) => {
    const auth = authorizeOperator(req.headers.authorization, tokens);
    if (auth.kind === 'tenant_key') {
      return next(
        new PermissionDeniedError('Operator routes need an operator token, not a tenant API key.'),
      );
    }
    if (auth.kind !== 'operator') return next(new OperatorAuthenticationError());
    if (!allowed.has(auth.role)) {
      return next(
        new PermissionDeniedError(
          `The ${auth.role} token cannot use this route; it needs the admin token.`,
        ),
      );
    }
    res.locals.operatorRole = auth.role;
    next();
  };
}
