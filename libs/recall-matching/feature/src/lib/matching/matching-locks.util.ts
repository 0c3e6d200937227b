import type { EntityManager } from 'typeorm';

const MATCHING = 'recall-matching:matching';

/**
 * Keeps a recall's matching and an implant's (or a device's) from missing each other. Without
 * it, a recall issued while an implant event is being applied would look for implants before
 * the implant commits, and the implant would look for recalls before the recall commits: both
 * would commit, and the patient would never be matched. A recall change holds the matching
 * lock alone; implant and device facts share it, and hold their identifiers' locks alone (so a
 * device record and an implant of one of its identifiers see each other too), always in the
 * same order, so two facts cannot wait on each other.
 */
export async function lockForRecallChange(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [MATCHING]);
}

export async function lockForImplantFacts(
  tx: EntityManager,
  identifiers: readonly string[],
): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [MATCHING]);
  for (const identifier of [...new Set(identifiers)].sort()) {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `recall-matching:identifier:${identifier}`,
    ]);
  }
}
