/**
 * Redis plumbing shared by every package: the key names (`Keys`), connections and their
 * failure modes (preflight, errors, reconnecting), Lua scripts with named arguments, and
 * pub/sub channel listeners. Nothing here knows what a job is.
 */
export * from './keys';
export * from './redis-connection';
export * from './redis-errors';
export * from './redis-preflight';
export * from './lua-script';
export * from './channel-listeners';
export * from './resilient-redis';
