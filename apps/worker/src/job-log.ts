import type { Attempt } from '@switchyard/core';
import type { Logger } from '@switchyard/observability';
import type { JobRecord } from '@switchyard/queue';

/**
 * The logger of one run of a job: every line carries `jobId` and, when the job has one, the
 * `requestId` of the submit that created it (the API's line for that request has the same), so
 * one search finds the request, the calls it caused and its webhooks. Records written before
 * request IDs were kept have none; their lines simply lack the field.
 */
export function jobLogger(logger: Logger, record: JobRecord): Logger {
  return logger.child(
    record.request_id === undefined
      ? { jobId: record.id }
      : { jobId: record.id, requestId: record.request_id },
  );
}

/**
 * One line per provider call, at `info`: who was called, how it went, how long it took. A call
 * is an external, billed and slow event (hundreds of ms), so even at a thousand a second this is
 * one short line per call, the same order as the API's line per request, and the line an
 * operator reaches for first. Never the prompt or the output, and never the provider's error
 * message either: it is a third party's free text that may quote the request (the job's
 * `attempts` keep it for those allowed to read the job).
 */
export function logProviderCall(log: Logger, attempt: Attempt): void {
  log.info(
    {
      provider: attempt.provider,
      model: attempt.model,
      outcome: attempt.outcome,
      statusCode: attempt.status_code,
      latencyMs: attempt.latency_ms,
      ...(attempt.retry_after_ms !== null && { retryAfterMs: attempt.retry_after_ms }),
    },
    'provider call',
  );
}
