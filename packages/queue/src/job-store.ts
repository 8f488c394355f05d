import { type JobStatus, isFinalStatus } from '@switchyard/core';
import type { Redis } from 'ioredis';
import type { JobEvent } from './job-events';
import type { JobRecord } from './job-record';
import {
  claimRunScript,
  createJobScript,
  markListenedScript,
  noteCallScript,
  sweepExpiredScript,
  transitionJobScript,
} from './job-store-scripts';
import { assembleRecord, RECORD_FIELDS } from './job-hash';
import type { Keys } from '@switchyard/redis-kit';
import { EVENTS_MAX_LEN } from './job-stream';
import { announcesStart, endEventOf, startEventOf } from './webhook-event';

export interface ListOptions {
  status?: JobStatus;
  limit: number;
  cursor?: string;
}

export interface ListPage {
  records: JobRecord[];
  nextCursor: string | null;
}

/** What a create did: the job is stored, its ID was taken, or the webhook outbox is full. */
export type CreateOutcome = 'created' | 'exists' | 'outbox_full';
const CREATE_OUTCOMES = new Map<unknown, CreateOutcome>([
  [1, 'created'],
  [0, 'exists'],
  [-1, 'outbox_full'],
]);

/** Decides the next version of a record, or returns undefined to leave it unchanged. */
export type JobMutation = (current: JobRecord) => JobRecord | undefined;

export interface UpdateResult {
  record: JobRecord;
  changed: boolean;
}

/**
 * Reads and writes job records. Records are tenant-scoped on read: a job of another tenant is
 * indistinguishable from a missing one. Every write is a compare-and-set on `rev`.
 */
export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    /** How long a final job stays readable. */
    private readonly retentionMs: number,
    /** About how many events a job's event stream keeps (see job-stream.ts). */
    private readonly eventsMaxLen = EVENTS_MAX_LEN,
  ) {}

  /**
   * Stores a new record, unless its ID is taken or, for a job with a webhook, the outbox holds
   * `outboxLimit` events or more (no limit when omitted).
   */
  async create(record: JobRecord, outboxLimit?: number): Promise<CreateOutcome> {
    const checksOutbox = outboxLimit !== undefined && record.request.webhook !== undefined;
    const created = await createJobScript.run(
      this.redis,
      {
        job: this.keys.job(record.id),
        tenant_index: this.keys.tenantJobs(record.tenant_id),
        queued_index: this.keys.tenantJobsByStatus(record.tenant_id, 'queued'),
        pending_enqueue: this.keys.pendingEnqueue,
        outbox: this.keys.webhookOutbox,
        events: this.keys.jobStream(record.id),
      },
      {
        id: record.id,
        tenant: record.tenant_id,
        doc: JSON.stringify(record),
        created: record.created_at,
        deadline: record.deadline_at ?? '',
        start_hook: announcesStart(record) ? '1' : '',
        outbox_limit: checksOutbox ? outboxLimit : '',
        events_max_len: this.eventsMaxLen,
      },
    );
    return CREATE_OUTCOMES.get(created)!;
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const [doc, status, rev, startedAt] = await this.redis.hmget(
      this.keys.job(jobId),
      ...RECORD_FIELDS,
    );
    return doc ? assembleRecord(doc, status!, rev!, startedAt ?? null) : undefined;
  }

  /**
   * Reads the job and starts it (queued → running) if its deadline has not passed, in one
   * atomic step; the record as it now stands, or undefined if there is no such job.
   */
  async claimRun(jobId: string, now: number): Promise<JobRecord | undefined> {
    const found = (await claimRunScript.run(
      this.redis,
      {
        job: this.keys.job(jobId),
        outbox: this.keys.webhookOutbox,
        pending_enqueue: this.keys.pendingEnqueue,
        events: this.keys.jobStream(jobId),
      },
      {
        now,
        tenant_index_prefix: this.keys.tenantJobsPrefix,
        id: jobId,
        events_channel: this.keys.jobEvents(jobId),
        start_event: JSON.stringify(startEventOf(jobId, now)),
        events_max_len: this.eventsMaxLen,
      },
    )) as [string, string, string, string] | null;
    return found ? assembleRecord(...found) : undefined;
  }

  /**
   * Keeps a note of the provider call a worker is about to make, beside the record (not in it:
   * no document rewrite). It outlives a worker that dies mid-call, so the job's next run can
   * still count that call (apps/worker/src/lost-call.ts). One note per job: the next replaces it.
   * Also says whether someone listens to the job's events (markListened), so the call streams.
   */
  async noteCall(jobId: string, note: string): Promise<{ listened: boolean }> {
    const noted = await noteCallScript.run(this.redis, { job: this.keys.job(jobId) }, { note });
    return { listened: noted === 2 };
  }

  /**
   * Marks the job as listened to: its calls from the next one on stream their text into its
   * event stream (see noteCall), and one that ends unstreamed adds its text as a delta.
   */
  async markListened(jobId: string): Promise<void> {
    await markListenedScript.run(this.redis, { job: this.keys.job(jobId) }, {});
  }

  /** The last call noted for the job, if any (see noteCall). */
  async notedCall(jobId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.job(jobId), 'call')) ?? undefined;
  }

  /** The record if it exists and belongs to `tenantId`. */
  async getForTenant(tenantId: string, jobId: string): Promise<JobRecord | undefined> {
    const record = await this.get(jobId);
    return record?.tenant_id === tenantId ? record : undefined;
  }

  /** Removes a record that was never enqueued (submission rolled back). */
  async remove(record: JobRecord): Promise<void> {
    await this.redis
      .multi()
      .del(this.keys.job(record.id))
      .del(this.keys.jobStream(record.id))
      .zrem(this.keys.tenantJobs(record.tenant_id), record.id)
      .zrem(this.keys.tenantJobsByStatus(record.tenant_id, record.status), record.id)
      .zrem(this.keys.pendingEnqueue, record.id)
      .exec();
  }

  /**
   * Read-modify-write with compare-and-set, retried on conflict. `mutate` sees the latest record
   * each time, so it must be a pure decision that returns a new object (it must not modify its
   * argument). A writer that already holds the record passes it as `known`: the write is then
   * tried without reading first, and only a conflict costs a read. Returns undefined if the job
   * does not exist.
   */
  async update(
    jobId: string,
    mutate: JobMutation,
    known?: JobRecord,
  ): Promise<UpdateResult | undefined> {
    let current = known ?? (await this.get(jobId));
    for (;;) {
      if (!current) return undefined;
      const next = mutate(current);
      if (!next) return { record: current, changed: false };
      next.rev = current.rev + 1;
      const event: JobEvent = { type: 'status', status: next.status, rev: next.rev };
      const ttl = isFinalStatus(next.status) ? this.retentionMs : 0;
      const announced = endEventOf(current, next, Date.now());
      const result = (await transitionJobScript.run(
        this.redis,
        {
          job: this.keys.job(jobId),
          expiring: this.keys.expiring,
          outbox: this.keys.webhookOutbox,
          from_index: this.keys.tenantJobsByStatus(current.tenant_id, current.status),
          to_index: this.keys.tenantJobsByStatus(current.tenant_id, next.status),
          events: this.keys.jobStream(jobId),
        },
        {
          expected_rev: current.rev,
          status: next.status,
          doc: JSON.stringify(next),
          ttl,
          id: jobId,
          created: current.created_at,
          events_channel: this.keys.jobEvents(jobId),
          event: JSON.stringify(event),
          started_at: next.started_at ?? '',
          expires_at: Date.now() + ttl,
          expiring_member: `${current.tenant_id}|${next.status}|${jobId}`,
          outbox_event: announced ? JSON.stringify(announced) : '',
          events_max_len: this.eventsMaxLen,
          at: Date.now(),
        },
      )) as number[];
      if (result[0] === 1) return { record: next, changed: true };
      if (result[0] === -1) return undefined;
      current = await this.get(jobId);
    }
  }

  /**
   * Drops the index entries of jobs whose records have expired, in batches, up to `maxBatches`
   * at a time; returns how many. Any process may run it at any time (it is idempotent).
   */
  async sweepExpired(now: number, batch = 1_000, maxBatches = 50): Promise<number> {
    let swept = 0;
    for (let i = 0; i < maxBatches; i++) {
      const count = (await sweepExpiredScript.run(
        this.redis,
        { expiring: this.keys.expiring },
        { now, batch, tenant_index_prefix: this.keys.tenantJobsPrefix },
      )) as number;
      swept += count;
      if (count < batch) break;
    }
    return swept;
  }

  /** A tenant's jobs, newest first, optionally of one status; cursor-paginated. */
  async list(tenantId: string, options: ListOptions): Promise<ListPage> {
    const index = options.status
      ? this.keys.tenantJobsByStatus(tenantId, options.status)
      : this.keys.tenantJobs(tenantId);

    const want = options.limit + 1;
    const ids: Array<[string, number]> = [];
    let max = '+inf';
    const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (cursor) {
      // Members sharing the cursor's score sort by ID (descending in REV order): take the
      // ones after the cursor's ID, then continue strictly below its score.
      const ties = await this.redis.zrange(index, cursor.score, cursor.score, 'BYSCORE', 'REV');
      for (const id of ties) if (id < cursor.id) ids.push([id, cursor.score]);
      max = `(${cursor.score}`;
    }
    if (ids.length < want) {
      const flat = await this.redis.zrange(
        index,
        max,
        '-inf',
        'BYSCORE',
        'REV',
        'LIMIT',
        0,
        want - ids.length,
        'WITHSCORES',
      );
      for (let i = 0; i < flat.length; i += 2) ids.push([flat[i]!, Number(flat[i + 1])]);
    }

    const page = ids.slice(0, options.limit);
    const rows = page.length
      ? await this.redis
          .pipeline(page.map(([id]) => ['hmget', this.keys.job(id), ...RECORD_FIELDS]))
          .exec()
      : [];
    const records: JobRecord[] = [];
    const gone: string[] = [];
    page.forEach(([id], i) => {
      const [doc, status, rev, startedAt] = (rows?.[i]?.[1] ?? []) as Array<string | null>;
      if (doc) records.push(assembleRecord(doc, status!, rev!, startedAt ?? null));
      else gone.push(id);
    });
    if (gone.length) await this.redis.zrem(index, ...gone);

    const last = page[page.length - 1];
    const nextCursor = ids.length > options.limit && last ? encodeCursor(last[1], last[0]) : null;
    return { records, nextCursor };
  }
}

function encodeCursor(score: number, id: string): string {
  return Buffer.from(`${score}|${id}`).toString('base64url');
}

/** Undefined for a cursor we did not make; the API answers that with 400. */
export function decodeCursor(cursor: string): { score: number; id: string } | undefined {
  const [score, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!score || !id || !/^\d+$/.test(score)) return undefined;
  return { score: Number(score), id };
}
