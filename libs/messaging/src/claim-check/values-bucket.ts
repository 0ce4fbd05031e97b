import type { Namespace } from '@flowstack/contracts';

/** The object-store bucket of a namespace's claim-check values (`<ns>_VALUES`). */
export const valuesBucketName = (ns: Namespace): string =>
  ns.prefix ? `${ns.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_VALUES` : 'VALUES';

/** The JetStream stream behind a values bucket (the object store's `OBJ_<bucket>`). */
export const valuesStreamName = (ns: Namespace): string => `OBJ_${valuesBucketName(ns)}`;
