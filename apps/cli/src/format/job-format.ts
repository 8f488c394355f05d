import type { Job, JobStatus } from '@switchyard/core';
import type { Style } from '../output/output';
import { renderTable } from '../output/table';
import { duration, fields, type Paint, shortTime, usd } from './values';

const STATUS_STYLES = new Map<JobStatus, Style>([
  ['queued', 'dim'],
  ['running', 'warn'],
  ['succeeded', 'ok'],
  ['failed', 'bad'],
  ['canceled', 'bad'],
  ['expired', 'bad'],
]);

export const paintStatus = (paint: Paint, status: JobStatus): string =>
  paint(STATUS_STYLES.get(status) ?? 'bold', status);

/**
 * A job for people: its ID and status, then model, tokens, cost, timings and any error, one per
 * line; with `withOutput`, a blank line and the output text (left out where it was streamed).
 */
export function jobSummary(job: Job, paint: Paint, withOutput: boolean): string {
  const rows: [string, string][] = [];
  const served = job.served_by ? `${job.served_by.provider}/${job.served_by.model}` : null;
  rows.push([
    'model',
    served && served !== job.model ? `${job.model} (served by ${served})` : job.model,
  ]);
  if (job.usage) {
    rows.push(['tokens', `${job.usage.input_tokens} in, ${job.usage.output_tokens} out`]);
    rows.push(['cost', usd(job.usage.cost_usd)]);
  }
  if (job.cached) rows.push(['cached', 'yes (no provider call)']);
  if (job.metrics.total_ms !== null) {
    rows.push([
      'time',
      `${duration(job.metrics.total_ms)} (queued ${duration(job.metrics.queue_ms)}, ran ${duration(job.metrics.run_ms)})`,
    ]);
  }
  if (job.attempts.length > 1) rows.push(['attempts', String(job.attempts.length)]);
  if (job.error) rows.push(['error', paint('bad', `${job.error.type}: ${job.error.message}`)]);
  rows.push(['created', shortTime(job.created_at)]);
  const head = `${paint('id', job.id)}  ${paintStatus(paint, job.status)}`;
  const text = job.output && withOutput ? `\n\n${job.output.text}` : '';
  return `${head}\n${fields(rows)}${text}\n`;
}

/** Jobs as a table, newest first as the API lists them. */
export function jobTable(jobs: Job[], paint: Paint): string {
  return renderTable(
    [
      { title: 'ID' },
      { title: 'STATUS' },
      { title: 'MODEL' },
      { title: 'TOKENS IN', align: 'right' },
      { title: 'OUT', align: 'right' },
      { title: 'COST', align: 'right' },
      { title: 'CREATED (UTC)' },
    ],
    jobs.map((job) => [
      paint('id', job.id),
      paintStatus(paint, job.status),
      job.model,
      job.usage ? String(job.usage.input_tokens) : '–',
      job.usage ? String(job.usage.output_tokens) : '–',
      usd(job.usage?.cost_usd),
      shortTime(job.created_at),
    ]),
  );
}
