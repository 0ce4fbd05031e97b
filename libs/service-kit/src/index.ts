export * from './config';
export * from './postgres';
export * from './logger';
export * from './bootstrap';
export * from './database.module';
export * from './migration-lock';
