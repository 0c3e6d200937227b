/**
 * What a replica does with a record from a compacted topic, given the revision it holds.
 * A compacted topic may deliver an older revision after a newer one: a duplicate that a
 * relay sent again during a lease takeover, a replay, or a re-driven dead letter. Only a
 * strictly newer revision replaces what is held, so a stale record can never win.
 */
export type RevisionDecision =
  /** Newer than what is held, or nothing is held yet: write it. */
  | 'apply'
  /** The revision already held: its effect is already there. */
  | 'already-applied'
  /** Older than what is held: ignore it. */
  | 'stale';

export function decideRevision(held: number | undefined, incoming: number): RevisionDecision {
  if (!Number.isSafeInteger(incoming) || incoming < 1) {
    throw new RangeError(`a record revision is a positive integer, not ${incoming}`);
  }
  if (held === undefined || incoming > held) return 'apply';
  return incoming === held ? 'already-applied' : 'stale';
}
