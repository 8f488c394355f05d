export { SwitchyardClient, type ClientOptions } from './client';
export type { TransportOptions } from './transport';
export type { ListOptions, SubmitOptions, Submitted, WaitOptions } from './jobs';
export type { StreamOptions } from './stream';
export type { UsageOptions } from './usage';
export {
  Batches,
  BatchList,
  type BatchCreateOptions,
  type BatchInput,
  type BatchWaitOptions,
} from './batches';
export {
  AuthenticationError,
  BadRequestError,
  BudgetExceededError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  SwitchyardError,
  type SwitchyardErrorInit,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from './errors';
export * from './verify-webhook';
// The contract's types, so users need no second package to name what the client returns.
export type {
  ApiKeyCreated,
  Batch,
  BatchRequestItemInput,
  BatchResultLine,
  BatchStatus,
  Job,
  JobList,
  JobRequestInput,
  JobStatus,
  JobStreamEvent,
  Tenant,
  TenantCreated,
  TenantLimits,
  UsageReport,
} from '@switchyard/core';
