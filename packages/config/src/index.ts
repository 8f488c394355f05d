export * from './config-error';
export * from './env';
export * from './config-file';
export * from './defaults';
export * from './settings';
export * from './model-chain';
export * from './boot';
export * from './rate-limits';
