import { Batch, BatchResultLine } from '@switchyard/core';
import { http } from './http';

/** A batch as the API answers it, checked against the contract's schema. */
async function getBatch(apiUrl: string, token: string, id: string): Promise<Batch> {
  const { status, body } = await http(`${apiUrl}/v1/batches/${id}`, { token });
  if (status !== 200) throw new Error(`GET batch ${id}: ${status} ${JSON.stringify(body)}`);
  return Batch.parse(body);
}

/**
 * Polls a batch until `done` says so (by default: until it has ended), returning it. There is no
 * long-poll for batches; the poll is short so a test waits little longer than the batch takes.
 */
export async function waitForBatch(
  apiUrl: string,
  token: string,
  id: string,
  done: (batch: Batch) => boolean = (batch) =>
    batch.status === 'completed' || batch.status === 'canceled',
): Promise<Batch> {
  for (;;) {
    const batch = await getBatch(apiUrl, token, id);
    if (done(batch)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `GET /v1/batches/{id}/results`, each line checked against the contract's schema. */
export async function batchResults(
  apiUrl: string,
  token: string,
  id: string,
): Promise<{ contentType: string | null; lines: BatchResultLine[] }> {
  const response = await fetch(`${apiUrl}/v1/batches/${id}/results`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`results of ${id}: ${response.status} ${text}`);
  const lines = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => BatchResultLine.parse(JSON.parse(line)));
  return { contentType: response.headers.get('content-type'), lines };
}
