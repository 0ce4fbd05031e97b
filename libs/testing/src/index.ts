export * from './test-database';
export * from './test-namespace';
export * from './wait-for';
