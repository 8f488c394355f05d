export * from './secrets';
export * from './tenant-store';
export * from './rate-limiter';
export * from './spend';
export * from './tenant-cache';
export * from './webhook-secrets';
export * from './expiring-cache';
export * from './operator-auth';
