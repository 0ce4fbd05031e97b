/**
 * The execution id of a schedule's fire, derived from (schedule, slot) as a name-based UUID
 * (version 5, RFC 9562). Every replica computes the same id for the same fire, so a replica that
 * starts the run and dies before recording it cannot make a second execution: the retry starts the
 * same id, which the orchestrator treats as already started.
 */
import { createHash } from 'node:crypto';

/** The namespace of Flowstack schedule fires (a fixed random UUID). */
const SCHEDULE_FIRE_NAMESPACE = 'b6f0c3a2-5d1e-4c8b-9a47-2f3e8d6c1b90';

export function fireExecutionId(scheduleId: string, slot: Date): string {
  return uuidV5(SCHEDULE_FIRE_NAMESPACE, `${scheduleId}@${slot.toISOString()}`);
}

export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
