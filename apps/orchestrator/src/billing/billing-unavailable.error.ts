/**
 * Billing did not answer a hold (no replica, a timeout): nothing about the result being recorded
 * is wrong, so the results consumer holds it and retries like a database outage, spending none of
 * its bounded deliveries, instead of parking it and failing the node. Retryable.
 */
export class BillingUnavailable extends Error {
  readonly code = 'billing_unavailable';
  readonly retryable = true;

  constructor(message: string) {
    super(message);
    this.name = 'BillingUnavailable';
  }
}
