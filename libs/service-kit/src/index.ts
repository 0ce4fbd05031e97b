export * from './config';
export * from './postgres';
export * from './logger';
export * from './bootstrap';
export * from './process-guards';
export * from './error-burst';
export * from './database.module';
export * from './migration-lock';
