export * from './subjects';
export * from './headers';
export * from './errors';
export * from './graph';
export * from './execution-events';
export * from './node-task';
export * from './api-schemas';
export * from './rpc-payloads';
