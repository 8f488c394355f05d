export * from './dispatcher-app';
export * from './delivery-item';
export * from './delivery-processor';
export * from './slots';
