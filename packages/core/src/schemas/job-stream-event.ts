import { z } from 'zod';
import { Job, JobStatus } from './job';

/**
 * The Server-Sent Events of `GET /v1/jobs/{id}/events`. On the wire each is
 * `id: <id>\nevent: <type>\ndata: <JSON of data>\n\n`; `id` is opaque and ordered (send it back
 * as `Last-Event-ID` or `?after=` to resume right after it). A stream ends with exactly one
 * `done`, then closes.
 */
export const JobStatusEvent = z
  .object({
    type: z.literal('status'),
    id: z.string(),
    data: z.object({ status: JobStatus, at: z.iso.datetime() }),
  })
  .meta({ id: 'JobStatusEvent' });
export type JobStatusEvent = z.infer<typeof JobStatusEvent>;

/** A piece of output text as the provider streams it; `index` counts a job's deltas from 0. */
export const JobDeltaEvent = z
  .object({
    type: z.literal('delta'),
    id: z.string(),
    data: z.object({ index: z.number().int().min(0), text: z.string() }),
  })
  .meta({ id: 'JobDeltaEvent' });
export type JobDeltaEvent = z.infer<typeof JobDeltaEvent>;

/** The job in its final state: the last event of a stream. */
export const JobDoneEvent = z
  .object({ type: z.literal('done'), id: z.string(), data: Job })
  .meta({ id: 'JobDoneEvent' });
export type JobDoneEvent = z.infer<typeof JobDoneEvent>;

export const JobStreamEvent = z
  .discriminatedUnion('type', [JobStatusEvent, JobDeltaEvent, JobDoneEvent])
  .meta({ id: 'JobStreamEvent' });
export type JobStreamEvent = z.infer<typeof JobStreamEvent>;
