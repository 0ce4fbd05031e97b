/**
 * How many copies of each stream and bucket a JetStream cluster keeps: `NATS_STREAM_REPLICAS`
 * (1 to 5; 3 on a three-node cluster), 1 when unset. Applies to streams a service creates; an
 * existing stream keeps its replicas (`nats stream edit --replicas` changes them).
 */
export function streamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.NATS_STREAM_REPLICAS || 1);
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : 1;
}
