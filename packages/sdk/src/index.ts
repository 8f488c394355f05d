export * from './client';
export * from './switchyard-error';
export * from './verify-webhook';
