import { redactUrls } from './redact-urls';

/**
 * Fields of queue items that hold a job's text: a webhook delivery's `body` is the public job as
 * delivered (its output, metadata and errors). The board is for watching the queues, and the
 * viewer token is handed out widely, so the board shows their size, not their content; the job
 * and its tenant's delivery log have it.
 */
const JOB_TEXT_FIELDS: ReadonlySet<string> = new Set(['body']);

/** Queue item data as Bull Board shows it: web URLs redacted, job text reduced to its size. */
export function boardItemData(value: unknown): unknown {
  return redactUrls(hideJobText(value));
}

function hideJobText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideJobText);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      JOB_TEXT_FIELDS.has(key) && typeof item === 'string'
        ? `[${Buffer.byteLength(item)} bytes of job data, not shown]`
        : hideJobText(item),
    ]),
  );
}
