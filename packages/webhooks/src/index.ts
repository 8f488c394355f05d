export * from './webhook-secret';
export * from './sign-webhook';
export * from './ssrf';
export * from './delivery';
