import type { Provider } from '@nestjs/common';
import { CreditHolds } from './credit-holds';
import { CreditHoldsClient } from './credit-holds.client';
import { NodePricing, PRICE_TABLE, TOOL_PRICES } from './node-pricing.service';
import { StartPricing } from './start-pricing';
import type { OrchestratorConfig } from '../orchestrator.config';

/** Credits at run time: the price snapshot at start, holds before dispatch, charges after results. */
export const billingProviders = (config: OrchestratorConfig): Provider[] => [
  { provide: PRICE_TABLE, useValue: config.prices },
  { provide: TOOL_PRICES, useValue: config.toolPrices },
  CreditHoldsClient,
  CreditHolds,
  NodePricing,
  StartPricing,
];
