export * from './test-database';
export * from './test-namespace';
export * from './wait-for';
export * from './service-process';
export * from './http-target';
export * from './platform';
export * from './auth-nats-server';
export * from './nats-server';
