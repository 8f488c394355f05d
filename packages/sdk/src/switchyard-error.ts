import type { ApiErrorType, ErrorDetail } from '@switchyard/core';

/** An error answer of the API, with the contract's fields. */
export class SwitchyardError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType | 'network_error',
    message: string,
    readonly requestId: string | null,
    readonly details: ErrorDetail[] | undefined,
    readonly headers: Headers | undefined,
  ) {
    super(message);
    this.name = 'SwitchyardError';
  }
}
