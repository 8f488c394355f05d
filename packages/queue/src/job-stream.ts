import { type JobStatus, JobStatus as JobStatusSchema } from '@switchyard/core';
import type { Keys } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';

/**
 * A job's event stream: a Redis Stream per job (`Keys.jobStream`) holding what
 * `GET /v1/jobs/{id}/events` sends. Its status entries and its `done` are written by the job
 * store's scripts in the same step as the change they report (job-store-scripts.ts), its deltas
 * by the worker as the provider streams (job-deltas.ts). The stream's entry IDs are the events'
 * IDs: ordered, so "everything after this ID" is one XRANGE.
 *
 * Bounded twice: every XADD trims it to about `EVENTS_MAX_LEN` entries (the oldest go first), and
 * once the job is final it expires with the job's record (the same PEXPIRE).
 */

/** About how many events a job's stream keeps (XADD MAXLEN ~): 10,000 × a 1 KiB delta at most. */
export const EVENTS_MAX_LEN = 10_000;

/** One entry of a job's event stream, as stored. `done` carries nothing: the record is the job. */
export type JobStreamEntry =
  | { id: string; type: 'status'; status: JobStatus; at: number }
  | { id: string; type: 'delta'; index: number; text: string }
  | { id: string; type: 'done' };

/** A stream entry ID as Redis makes them (`<ms>-<seq>`): what a client may resume after. */
const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

/** True when `id` has the shape of an event ID (whether or not such an event exists). */
export function isEventId(id: string): boolean {
  return ENTRY_ID.test(id);
}

/** Orders two event IDs as Redis orders stream entries: negative, zero or positive. */
export function compareEventIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

/** The ID before every event: resuming after it replays the whole stream. */
export const STREAM_START = '0-0';

/**
 * Up to `count` events of the job after `after` (exclusive), oldest first. An expired or unknown
 * job's stream reads as empty.
 */
export async function readJobStream(
  redis: Redis,
  keys: Keys,
  jobId: string,
  after: string,
  count: number,
): Promise<JobStreamEntry[]> {
  const rows = await redis.xrange(keys.jobStream(jobId), `(${after}`, '+', 'COUNT', count);
  const entries: JobStreamEntry[] = [];
  for (const [id, flat] of rows) {
    const entry = parseEntry(id, flat);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** An entry from its XRANGE fields; undefined for one this version does not know (skipped). */
function parseEntry(id: string, flat: string[]): JobStreamEntry | undefined {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  switch (fields.get('type')) {
    case 'status': {
      const status = JobStatusSchema.safeParse(fields.get('status'));
      if (!status.success) return undefined;
      return { id, type: 'status', status: status.data, at: Number(fields.get('at')) };
    }
    case 'delta':
      return {
        id,
        type: 'delta',
        index: Number(fields.get('index')),
        text: fields.get('text') ?? '',
      };
    case 'done':
      return { id, type: 'done' };
    default:
      return undefined;
  }
}
