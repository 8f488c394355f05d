import { isFinalStatus, isJobId, NotFoundError, quoted } from '@switchyard/core';
import type { JobRecord, ListOptions, ListPage } from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';

/** The tenant's job, or 404 for unknown IDs and other tenants' jobs alike. */
export async function getJob(deps: ApiDeps, tenantId: string, jobId: string): Promise<JobRecord> {
  const record = isJobId(jobId) ? await deps.store.getForTenant(tenantId, jobId) : undefined;
  if (!record) throw new NotFoundError(`No job ${quoted(jobId)}.`);
  return record;
}

/**
 * Holds until the job reaches a final status, `seconds` pass or the client goes away, woken by
 * the job's own event (no polling loop), then returns the latest record.
 */
export async function waitForJob(
  deps: ApiDeps,
  record: JobRecord,
  seconds: number,
  signal: AbortSignal,
): Promise<JobRecord> {
  if (seconds <= 0 || isFinalStatus(record.status)) return record;
  let latest = record;
  await deps.watcher.waitForFinal(
    record.id,
    seconds * 1_000,
    async () => {
      latest = (await deps.store.get(record.id)) ?? latest;
      return isFinalStatus(latest.status);
    },
    signal,
  );
  return isFinalStatus(latest.status) ? latest : ((await deps.store.get(record.id)) ?? latest);
}

export function listJobs(deps: ApiDeps, tenantId: string, options: ListOptions): Promise<ListPage> {
  return deps.store.list(tenantId, options);
}
