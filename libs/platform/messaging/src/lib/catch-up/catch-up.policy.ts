/** A partition's offsets: the end read at start, and what the group has committed since. */
export interface PartitionProgress {
  partition: number;
  /** First offset still held by the topic (compaction and retention move it). */
  low: string;
  /** End offset (high watermark) read when the service started. */
  endAtStart: string;
  /** Next offset the group will read; -1 when it has committed nothing. */
  committed: string;
}

/** Events still to apply before the consumer has caught up with the end read at start. */
export function eventsBehind(partitions: readonly PartitionProgress[]): number {
  let behind = 0n;
  for (const { low, endAtStart, committed } of partitions) {
    const end = BigInt(endAtStart);
    const next = BigInt(committed) < 0n ? BigInt(low) : BigInt(committed);
    if (next < end) behind += end - next;
  }
  return Number(behind);
}
