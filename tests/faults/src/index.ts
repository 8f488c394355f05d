export * from './app-process';
export * from './fault-stack';
export * from './figures';
export * from './job-counts';
export * from './poll';
export * from './submit-load';
export * from './submit-loop';
export * from './scan-keys';
