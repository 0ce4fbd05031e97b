export * from './auth-buckets';
export * from './bucket-mirror';
