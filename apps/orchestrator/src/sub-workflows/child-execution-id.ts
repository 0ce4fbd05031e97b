import { createHash } from 'node:crypto';

/**
 * The id of the child execution that attempt `attempt` of the `sub_workflow` node `nodeId` of
 * `parentId` starts: a name-based UUID (version 5 layout over SHA-256 of the three), so a start
 * repeated after a crash or on another replica finds the same child instead of starting a second.
 */
export function childExecutionIdOf(parentId: string, nodeId: string, attempt: number): string {
  const bytes = createHash('sha256').update(`flowstack:sub_workflow:${parentId}:${nodeId}:${attempt}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
