import { isBatchId, NotFoundError, quoted } from '@switchyard/core';
import type { BatchRecord } from '@switchyard/queue';
import type { ApiDeps } from '../api-deps';

/** The tenant's batch, or 404 for unknown IDs and other tenants' batches alike. */
export async function getBatch(
  deps: ApiDeps,
  tenantId: string,
  batchId: string,
): Promise<BatchRecord> {
  const batch = isBatchId(batchId) ? await deps.batches.getForTenant(tenantId, batchId) : undefined;
  if (!batch) throw new NotFoundError(`No batch ${quoted(batchId)}.`);
  return batch;
}
