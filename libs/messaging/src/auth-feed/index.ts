export * from './auth-buckets';
export * from './bucket-mirror';
export * from './api-key-hash';
export * from './rate-limit-bucket';
