export * from './worker-app';
export { JobRunner, type JobRunnerDeps } from './job-runner';
