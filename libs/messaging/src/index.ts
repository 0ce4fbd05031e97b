export * from './connection';
export * from './context-headers';
export * from './rpc';
export * from './streams';
export * from './json-codec';
export * from './messaging.module';
export * from './durable-consumer';
export * from './payload-limit';
