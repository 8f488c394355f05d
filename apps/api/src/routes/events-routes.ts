import { InvalidRequestError, isFinalStatus } from '@switchyard/core';
import { isEventId, STREAM_START } from '@switchyard/queue';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';
import { baseUrl } from '../http/base-url';
import { SseWriter } from '../http/sse-writer';
import { parseOrThrow } from '../http/validate';
import { Doorbell, relayJobEvents } from '../services/job-event-relay';
import { getJob } from '../services/job-queries';

const EventId = z.string().refine(isEventId, 'not an event ID from this stream');
const EventsQuery = z.strictObject({ after: EventId.optional() });

/**
 * `GET /v1/jobs/{id}/events`: the job's events as Server-Sent Events (docs/EVENTS.md). Each
 * client costs no Redis connection of its own: it listens on the process's one subscriber
 * (JobWatcher) and reads the job's stream on the shared command connection.
 */
export function eventsRoutes(deps: ApiDeps): Router {
  const router = Router();
  // Every open stream, to end them all when a Redis connection drops: pub/sub may lose messages
  // while it reconnects, so rather than stall, a stream ends and its client resumes from its
  // Last-Event-ID (exactly, from the stream in Redis). A Set, not a listener per client.
  const open = new Set<Doorbell>();
  const endAll = () => {
    for (const bell of open) bell.stop();
  };
  deps.subscriber.on('close', endAll);
  deps.redis.on('close', endAll);

  router.get('/v1/jobs/:id/events', requireScope('jobs:read'), async (req, res) => {
    // Before any await: aborts when the client leaves or the API begins to drain.
    const gone = deps.drain.hold(res);
    const after = resumePoint(req);
    const record = await getJob(deps, res.locals.principal.tenantId, String(req.params.id));
    // Its next calls stream their text (the worker reads the mark with its call note).
    if (!isFinalStatus(record.status)) await deps.store.markListened(record.id);
    const bell = new Doorbell();
    // Subscribed before the first read, so nothing written after that read is missed; with
    // Redis away this throws, and the client gets a 503 before the stream begins.
    const unwatch = await deps.watcher.watchStream(record.id, bell.ring);
    const writer = new SseWriter(res);
    open.add(bell);
    gone.addEventListener('abort', bell.stop);
    if (gone.aborted) bell.stop();
    try {
      writer.open(deps.settings.events.retryMs);
      const end = await relayJobEvents(deps, {
        jobId: record.id,
        after,
        base: baseUrl(req, deps.settings.api.publicUrl),
        ended: isFinalStatus(record.status),
        bell,
        writer,
      });
      deps.logger.debug({ jobId: record.id, end }, 'event stream ended');
    } catch (err) {
      // The stream has begun: no error answer can follow, so it ends and the client resumes.
      deps.logger.error({ err, jobId: record.id }, 'event stream failed');
    } finally {
      open.delete(bell);
      gone.removeEventListener('abort', bell.stop);
      unwatch();
      writer.close();
    }
  });

  return router;
}

/**
 * Where the client resumes: `Last-Event-ID` (what EventSource sends on its own reconnect, so it
 * wins over the URL's `?after=`), else `?after=`, else the start. A malformed one is a 400.
 */
function resumePoint(req: Request): string {
  const query = parseOrThrow(EventsQuery, req.query, 'query');
  const header = req.get('last-event-id');
  if (header === undefined) return query.after ?? STREAM_START;
  if (!isEventId(header)) {
    throw new InvalidRequestError('Invalid Last-Event-ID: not an event ID from this stream.', [
      { path: 'header.Last-Event-ID', message: 'not an event ID from this stream' },
    ]);
  }
  return header;
}
