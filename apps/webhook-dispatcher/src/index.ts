export * from './dispatcher-app';
export * from './delivery-processor';
