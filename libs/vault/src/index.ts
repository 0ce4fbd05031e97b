export * from './keyring';
export * from './sealed-value';
