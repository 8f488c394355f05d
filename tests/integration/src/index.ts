export * from './stack';
export * from './http';
export * from './job-events';
export * from './worker-process';
export * from './webhook-receiver';
export * from './promtool';
export * from './metrics-text';
