/**
 * The job store and the queues: job records and their state changes, idempotency, job events
 * and streamed output, the BullMQ queues (and the reconciler that closes the record-to-enqueue
 * window), queue depth, consumption and worker heartbeats. Redis plumbing is
 * @switchyard/redis-kit's; the webhook outbox's reading side and delivery log are
 * @switchyard/outbox's.
 */
export * from './job-record';
export * from './job-view';
export * from './job-store';
export * from './job-events';
export * from './job-deltas';
export * from './job-stream';
export * from './cancel-broadcast';
export * from './idempotency';
export * from './job-catalogue';
export * from './job-queues';
export * from './enqueue-reconciler';
export * from './worker-heartbeat';
export * from './job-transitions';
export * from './webhook-event';
export * from './queue-depth';
export * from './consumption';
export * from './consumer-health';
export * from './oldest-wait';
export * from './job-hash';
