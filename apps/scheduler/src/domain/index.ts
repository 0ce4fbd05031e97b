export * from './schedule.timing';
export * from './fire-plan';
export * from './overlap';
export * from './fire-identity';
export * from './webhook-signature';
export * from './run-reactions';
