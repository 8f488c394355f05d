export * from './client';
export * from './switchyard-error';
