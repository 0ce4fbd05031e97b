export * from './value-bytes';
export * from './value-cache';
export * from './value-store';
export * from './scope-values';
export * from './values-bucket';
