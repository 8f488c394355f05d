import type { JobRecord } from './job-record';

/**
 * A job is a Redis hash (see job-store-scripts.ts). These are the fields a record is assembled
 * from, in the order {@link assembleRecord} takes them.
 */
export const RECORD_FIELDS = ['doc', 'status', 'rev', 'started_at'] as const;

/** The record from its hash fields: the hot fields overrule their copies inside `doc`. */
export function assembleRecord(
  doc: string,
  status: string,
  rev: string,
  startedAt: string | null,
): JobRecord {
  const record = JSON.parse(doc) as JobRecord;
  record.status = status as JobRecord['status'];
  record.rev = Number(rev);
  record.started_at = startedAt ? Number(startedAt) : null;
  return record;
}
