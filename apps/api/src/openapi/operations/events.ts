/**
 * The OpenAPI operation of `GET /v1/jobs/{id}/events` (docs/EVENTS.md), keyed as the router's
 * route list looks operations up: `'<lower-case method> <OpenAPI path>'`. Schemas by reference
 * to packages/core's meta ids.
 */
const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** An OpenAPI 3.1 Operation object (a plain object: the document is JSON). */
type Operation = Record<string, unknown>;

export const eventsOperations: Record<string, Operation> = {
  'get /v1/jobs/{id}/events': {
    summary: "Stream a job's events (Server-Sent Events)",
    description:
      'A `text/event-stream`: `retry: <ms>` first, then one event per block, `id: <event id>`, ' +
      '`event: status|delta|done`, `data: <JSON>`: `status` data `{status, at}`, `delta` data ' +
      '`{index, text}` (the output as the provider streams it, while someone listens), `done` ' +
      'data the job in its final state; then the stream closes. An idle stream sends a ' +
      '`: keep-alive` comment every 15 s. Resume with `Last-Event-ID` (or `?after=`): exactly ' +
      'the events after that ID. A job that ended replays its events while it is kept.',
    operationId: 'streamJobEvents',
    tags: ['jobs'],
    security: [{ apiKey: [] }],
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^job_' } },
      {
        name: 'after',
        in: 'query',
        schema: { type: 'string', pattern: '^\\d{1,20}-\\d{1,20}$' },
        description: 'Resume after this event ID (`Last-Event-ID` wins when both are given).',
      },
      {
        name: 'Last-Event-ID',
        in: 'header',
        schema: { type: 'string', pattern: '^\\d{1,20}-\\d{1,20}$' },
        description: 'Resume after this event ID, as EventSource sends it on a reconnect.',
      },
    ],
    responses: {
      '200': {
        description:
          'The event stream. Each event is one of JobStreamEvent (its `type` is the SSE `event:` field, its `id` the `id:` field, its `data` the `data:` line).',
        content: { 'text/event-stream': { schema: ref('JobStreamEvent') } },
      },
      '400': error('A malformed `Last-Event-ID` or `?after=`, or an unknown query parameter.'),
      '401': error('No or invalid credential.'),
      '403': error('The key lacks the scope `jobs:read`.'),
      '404': error('Unknown ID, or an ID of another tenant.'),
      '503': error('Redis unreachable; retry after `Retry-After`.'),
    },
  },
};
