import type { Batch, BatchStatus } from '@switchyard/core';
import type { Style } from '../output/output';
import { renderTable } from '../output/table';
import { fields, type Paint, shortTime } from './values';

const STATUS_STYLES = new Map<BatchStatus, Style>([
  ['in_progress', 'warn'],
  ['completed', 'ok'],
  ['canceling', 'warn'],
  ['canceled', 'bad'],
]);

const paintStatus = (paint: Paint, status: BatchStatus) =>
  paint(STATUS_STYLES.get(status) ?? 'bold', status);

/** Requests that have ended, whatever their outcome: what a progress bar counts. */
export const endedCount = (batch: Batch): number =>
  batch.request_counts.completed + batch.request_counts.failed + batch.request_counts.canceled;

const counts = (batch: Batch): string => {
  const { total, completed, failed, canceled } = batch.request_counts;
  return `${total} total: ${completed} completed, ${failed} failed, ${canceled} canceled`;
};

/** A batch for people: ID and status, then its request counts and times. */
export function batchSummary(batch: Batch, paint: Paint): string {
  const rows: [string, string][] = [['requests', counts(batch)]];
  rows.push(['created', shortTime(batch.created_at)]);
  if (batch.completed_at) rows.push(['completed', shortTime(batch.completed_at)]);
  if (batch.canceled_at) rows.push(['canceled', shortTime(batch.canceled_at)]);
  return `${paint('id', batch.id)}  ${paintStatus(paint, batch.status)}\n${fields(rows)}\n`;
}

export function batchTable(batches: Batch[], paint: Paint): string {
  return renderTable(
    [
      { title: 'ID' },
      { title: 'STATUS' },
      { title: 'TOTAL', align: 'right' },
      { title: 'COMPLETED', align: 'right' },
      { title: 'FAILED', align: 'right' },
      { title: 'CANCELED', align: 'right' },
      { title: 'CREATED (UTC)' },
    ],
    batches.map((batch) => [
      paint('id', batch.id),
      paintStatus(paint, batch.status),
      String(batch.request_counts.total),
      String(batch.request_counts.completed),
      String(batch.request_counts.failed),
      String(batch.request_counts.canceled),
      shortTime(batch.created_at),
    ]),
  );
}
