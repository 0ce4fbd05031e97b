export * from './price-table';
export * from './cost';
export { DEFAULT_PRICES } from './default-prices';
export type { ModelPrice } from './model-price';
