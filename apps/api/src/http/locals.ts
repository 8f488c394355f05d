import type { OperatorRole, Principal } from '@switchyard/tenancy';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      /** Set by `authenticateTenant` on `/v1` routes. */
      principal: Principal;
      /** Set by `authenticateOperator` on `/admin/*`, Bull Board and `/metrics`. */
      operatorRole: OperatorRole;
    }
  }
}

export {};
