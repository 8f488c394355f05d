/**
 * The webhook outbox's reading side (entries as the dispatcher sends them, re-announcing an
 * ended job) and the log of delivery attempts. The job store writes the outbox in the scripts
 * that change jobs (@switchyard/queue).
 */
export * from './delivery-log';
export * from './webhook-outbox';
