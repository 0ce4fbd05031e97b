/** A value stored out of band (libs/contracts value-ref.ts): over 64 KiB, events carry this instead. */
export interface ValueRef {
  ref: string;
  size: number;
  sha256: string;
}

export const isValueRef = (v: unknown): v is ValueRef =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ValueRef).ref === 'string' &&
  typeof (v as ValueRef).sha256 === 'string' &&
  (v as ValueRef).ref === `flowstack:value:${(v as ValueRef).sha256}` &&
  typeof (v as ValueRef).size === 'number';
