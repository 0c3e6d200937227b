import type { ProjectedStatus } from './projected-implant.types';

/** How far an implant has left the active set: a later fact never undoes an earlier one. */
const RANK: Record<ProjectedStatus, number> = {
  active: 0,
  explanted: 1,
  'entered-in-error': 2,
};

/**
 * The status after one more fact about an implant, whatever order the facts arrive in: an
 * explant or correction that arrives before the implant's record keeps the record out of the
 * active set when it comes, and a record entered in error stays so even if an explant of it
 * arrives later. So the status is the furthest of every fact heard, and arrival order cannot
 * change it.
 */
export function nextProjectedStatus(
  current: ProjectedStatus | undefined,
  fact: ProjectedStatus,
): ProjectedStatus {
  if (current === undefined) return fact;
  return RANK[fact] > RANK[current] ? fact : current;
}
