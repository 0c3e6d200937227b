import type { RecallCriteriaValue, RecallDetailsValue } from '@implant-trace/contracts';

import type { RecallEntity } from './recall.entity';

/** A recall as regulators (and the hospitals it affects) see it: no patient in it. */
export interface RecallView {
  recallId: string;
  status: 'open' | 'closed';
  title: string;
  reason: string;
  class: RecallDetailsValue['class'];
  manufacturer?: string;
  fsnReference?: string;
  actionsUnderwayBy?: string;
  actionsCompleteBy?: string;
  criteria: RecallCriteriaValue;
  issuedAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Live matches now. */
  matches: { matched: number; possible: number };
}

/** What one change published. */
export interface RecallChangeView extends RecallView {
  changes: { found: number; withdrawn: number };
}

export function recallViewOf(
  recall: Pick<RecallEntity, 'details' | 'status' | 'issuedAt' | 'updatedAt' | 'closedAt'>,
  matches: RecallView['matches'],
): RecallView {
  const { details } = recall;
  return {
    recallId: details.recallId,
    status: recall.status,
    title: details.title,
    reason: details.reason,
    class: details.class,
    ...(details.manufacturer === undefined ? {} : { manufacturer: details.manufacturer }),
    ...(details.fsnReference === undefined ? {} : { fsnReference: details.fsnReference }),
    ...(details.actionsUnderwayBy === undefined
      ? {}
      : { actionsUnderwayBy: details.actionsUnderwayBy }),
    ...(details.actionsCompleteBy === undefined
      ? {}
      : { actionsCompleteBy: details.actionsCompleteBy }),
    criteria: details.criteria,
    issuedAt: recall.issuedAt.toISOString(),
    updatedAt: recall.updatedAt.toISOString(),
    ...(recall.closedAt === null ? {} : { closedAt: recall.closedAt.toISOString() }),
    matches,
  };
}
