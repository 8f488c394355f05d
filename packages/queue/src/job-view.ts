import type { Job } from '@switchyard/core';
import type { JobRecord } from './job-record';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const span = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.max(0, to - from);

/** The public job object of the contract, with links rooted at `baseUrl` (no trailing slash). */
export function toPublicJob(record: JobRecord, baseUrl: string): Job {
  const self = `${baseUrl}/v1/jobs/${record.id}`;
  return {
    id: record.id,
    object: 'job',
    status: record.status,
    model: record.request.model,
    priority: record.request.priority,
    served_by: record.served_by,
    output: record.output,
    usage: record.usage,
    cached: record.cached,
    attempts: record.attempts,
    error: record.error,
    metrics: {
      queue_ms: span(record.created_at, record.started_at),
      run_ms: span(record.started_at, record.completed_at),
      total_ms: span(record.created_at, record.completed_at),
    },
    created_at: new Date(record.created_at).toISOString(),
    started_at: iso(record.started_at),
    completed_at: iso(record.completed_at),
    deadline_at: iso(record.deadline_at),
    metadata: record.request.metadata,
    urls: { get: self, cancel: `${self}/cancel`, events: `${self}/events` },
  };
}
