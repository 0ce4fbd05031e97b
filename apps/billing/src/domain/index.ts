export * from './ledger.commands';
export * from './ledger.state';
export * from './ledger.evolve';
export * from './ledger.decider';
export * from './ledger-rule-violation.error';
