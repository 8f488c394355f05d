export * from './stack';
export * from './http';
export * from './job-events';
export * from './worker-process';
export * from './webhook-receiver';
export * from './queue-item-events';
