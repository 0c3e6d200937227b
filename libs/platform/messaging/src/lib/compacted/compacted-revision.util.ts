import { assertSqlIdentifier } from '@implant-trace/platform-database';
import type { EntityManager } from 'typeorm';

import type { RevisionDecision } from './revision.policy';
import { decideRevision } from './revision.policy';

/** The replica table of a compacted topic: one row per key, holding the revision applied. */
export interface RevisionedTable {
  table: string;
  keyColumn: string;
  /** Defaults to `revision`. */
  revisionColumn?: string;
}

export interface RevisionedRecord {
  key: string;
  revision: number;
}

/**
 * Every consumer of a compacted topic applies records through this, inside the transaction
 * the consumer gives its handler: it locks the key's row, compares revisions
 * ({@link decideRevision}) and runs `write` only for a newer revision. The row lock keeps two
 * members of a group (during a rebalance) from both deciding on the same key at once; two
 * first inserts of one key collide on its primary key instead, and the loser is retried.
 */
export async function applyNewerRevision(
  tx: EntityManager,
  target: RevisionedTable,
  record: RevisionedRecord,
  write: () => Promise<void>,
): Promise<RevisionDecision> {
  const table = assertSqlIdentifier(target.table);
  const keyColumn = assertSqlIdentifier(target.keyColumn);
  const revisionColumn = assertSqlIdentifier(target.revisionColumn ?? 'revision');
  const [held] = (await tx.query(
    `SELECT "${revisionColumn}" AS revision FROM "${table}" WHERE "${keyColumn}" = $1 FOR UPDATE`,
    [record.key],
  )) as { revision: number | string }[];
  const decision = decideRevision(
    held === undefined ? undefined : Number(held.revision),
    record.revision,
  );
  if (decision === 'apply') await write();
  return decision;
}
