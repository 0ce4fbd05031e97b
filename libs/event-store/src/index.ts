export * from './event.types';
export * from './stream-version-conflict.error';
export { DEFAULT_SCHEMA } from './schema-name';
export * from './event-store.migration';
export * from './event-store';
export * from './event-publisher';
export * from './jetstream-event.publisher';
export * from './global-log.reader';
export * from './outbox.relay';
