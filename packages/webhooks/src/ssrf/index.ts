// The SSRF guard for webhook delivery: submit-time URL checks and send-time pinned lookups.
export { addressRefusal, isPublicAddress } from './address-policy';
export { createGuardedLookup, type GuardedLookupOptions, type Resolve } from './guarded-lookup';
export {
  assertPublicTarget,
  guardedRequestOptions,
  type GuardedRequestOptions,
} from './guarded-request';
export { SSRF_ERROR_CODE, SsrfError } from './ssrf-error';
export { checkWebhookUrl, type SsrfOptions, type WebhookUrlCheck } from './webhook-url';
