export * from './logger';
export * from './metrics';
export * from './serialize-http';
export * from './shutdown';
export * from './ops-server';
export * from './redis-up';
export * from './memory-lines';
