export * from './service-orm';
export * from './orm-database.module';
export * from './orm-transaction.client';
export * from './audit-log';
export * from './audit.module';
export * from './workspace-scope';
export * from './list-cursor';
