import type { Batch, BatchRequestCounts, BatchStatus } from '@switchyard/core';

/**
 * The stored truth about one batch. In Redis it is a hash (see batch-store.ts): `doc` holds the
 * parts that never change (this interface minus `status`, `counts` and the end times), beside
 * hot fields that scripts change: `status`, the four counters, `completed_at`, `canceled_at`,
 * and `tenant` and `webhook` ('1' or '') for scripts to read. Times are epoch ms.
 */
export interface BatchRecord {
  id: string;
  tenant_id: string;
  status: BatchStatus;
  counts: BatchRequestCounts;
  created_at: number;
  completed_at: number | null;
  canceled_at: number | null;
  metadata: Record<string, string>;
  /** Receives `batch.completed` when every request has ended. */
  webhook: string | null;
  /** `X-Request-Id` of the submit that created the batch (its jobs carry it too). */
  request_id?: string;
}

/** The hash fields a batch is assembled from. */
export const BATCH_FIELDS = [
  'doc',
  'status',
  'total',
  'completed',
  'failed',
  'canceled',
  'completed_at',
  'canceled_at',
] as const;

type Fixed = Omit<BatchRecord, 'status' | 'counts' | 'completed_at' | 'canceled_at'>;

/** The hash fields of a new batch (HSET arguments, flattened). */
export function batchHashFields(record: BatchRecord): string[] {
  const fixed: Fixed = {
    id: record.id,
    tenant_id: record.tenant_id,
    created_at: record.created_at,
    metadata: record.metadata,
    webhook: record.webhook,
    ...(record.request_id !== undefined && { request_id: record.request_id }),
  };
  const { counts } = record;
  return [
    ...['doc', JSON.stringify(fixed), 'status', record.status, 'tenant', record.tenant_id],
    ...['webhook', record.webhook === null ? '' : '1', 'total', String(counts.total)],
    ...['completed', String(counts.completed), 'failed', String(counts.failed)],
    ...['canceled', String(counts.canceled), 'completed_at', '', 'canceled_at', ''],
  ];
}

const msOrNull = (value: string | null | undefined): number | null =>
  value ? Number(value) : null;

/**
 * The record from its hash fields, as {@link BATCH_FIELDS} lists them (HMGET), or from an
 * outbox entry's copy of the hash (a name → value lookup). Undefined when there is no `doc`.
 */
export function assembleBatch(
  field: (name: (typeof BATCH_FIELDS)[number]) => string | null | undefined,
): BatchRecord | undefined {
  const doc = field('doc');
  if (!doc) return undefined;
  const fixed = JSON.parse(doc) as Fixed;
  return {
    ...fixed,
    status: field('status') as BatchStatus,
    counts: {
      total: Number(field('total')),
      completed: Number(field('completed')),
      failed: Number(field('failed')),
      canceled: Number(field('canceled')),
    },
    completed_at: msOrNull(field('completed_at')),
    canceled_at: msOrNull(field('canceled_at')),
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The public batch object of the contract, with links rooted at `baseUrl`. */
export function toPublicBatch(record: BatchRecord, baseUrl: string): Batch {
  const self = `${baseUrl}/v1/batches/${record.id}`;
  return {
    id: record.id,
    object: 'batch',
    status: record.status,
    request_counts: { ...record.counts },
    created_at: new Date(record.created_at).toISOString(),
    completed_at: iso(record.completed_at),
    canceled_at: iso(record.canceled_at),
    metadata: record.metadata,
    urls: { get: self, results: `${self}/results`, cancel: `${self}/cancel` },
  };
}

/** Which counter of its batch a job's final status moves (OpenAI's three, expired as canceled). */
export function batchCounterOf(status: string): 'completed' | 'failed' | 'canceled' {
  if (status === 'succeeded') return 'completed';
  return status === 'failed' ? 'failed' : 'canceled';
}
