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
import { batchEndOf } from './batch-end';
import { indexPage } from './index-page';
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

/**
 * The keys and arguments of createJobScript for a record: a job with a webhook is refused while
 * the outbox holds `outboxLimit` events or more (no limit when omitted); its event stream keeps
 * about `eventsMaxLen` entries.
 */
export function createCall(
  keys: Keys,
  record: JobRecord,
  eventsMaxLen: number,
  outboxLimit?: number,
) {
  const checksOutbox = outboxLimit !== undefined && record.request.webhook !== undefined;
  return {
    keys: {
      job: keys.job(record.id),
      tenant_index: keys.tenantJobs(record.tenant_id),
      queued_index: keys.tenantJobsByStatus(record.tenant_id, 'queued'),
      pending_enqueue: keys.pendingEnqueue,
      outbox: keys.webhookOutbox,
      events: keys.jobStream(record.id),
    },
    args: {
      id: record.id,
      tenant: record.tenant_id,
      doc: JSON.stringify(record),
      created: record.created_at,
      deadline: record.deadline_at ?? '',
      start_hook: announcesStart(record) ? '1' : '',
      outbox_limit: checksOutbox ? outboxLimit : '',
      events_max_len: eventsMaxLen,
    },
  };
}

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
    const call = createCall(this.keys, record, this.eventsMaxLen, outboxLimit);
    const created = await createJobScript.run(this.redis, call.keys, call.args);
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
    // A pipeline, not a MULTI: this undoes a create whose enqueue failed, often because Redis is
    // full, and a full Redis refuses every write queued in a MULTI (DEL included), while it
    // takes a plain DEL or ZREM. Each part is idempotent and the job has no queue item, so
    // nothing can see it half removed.
    await this.redis
      .pipeline()
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
          ...batchEndOf(this.keys, current, next, Date.now()),
          now: Date.now(),
          events_max_len: this.eventsMaxLen,
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

    const { page, nextCursor } = await indexPage(this.redis, index, options);
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
    return { records, nextCursor };
  }
}
