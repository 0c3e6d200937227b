import type { ProjectedStatus } from './projected-implant.types';

export const MATCH_KINDS = ['matched', 'possible'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** A match this service holds for one recall and one implant. */
export interface HeldMatch {
  matchId: string;
  kind: MatchKind;
  /** False once withdrawn; the row is kept, so the match keeps its id if it applies again. */
  live: boolean;
}

/** Why a match stops applying (the withdrawal event's reason). */
export type WithdrawalCause =
  | 'explanted'
  | 'entered-in-error'
  | 'criteria-narrowed'
  | 'recall-closed'
  | 'device-record-changed';

export type MatchChange =
  /** Newly affected: publish `recall.match.found` (a new match, or a withdrawn one again). */
  | { action: 'find'; kind: MatchKind }
  /** Still affected, now known better (possible -> matched, or back): published again. */
  | { action: 'change-kind'; kind: MatchKind }
  | { action: 'withdraw' }
  | { action: 'none' };

/**
 * What to publish for one recall and one implant, given the match held and the outcome the
 * criteria give now. Only a difference is published: applying the same outcome twice (a
 * redelivered event, a recall saved unchanged) publishes nothing, which is what makes every
 * match published once whatever the order of events.
 */
export function decideMatchChange(
  held: HeldMatch | undefined,
  outcome: MatchKind | undefined,
): MatchChange {
  const live = held?.live === true ? held : undefined;
  if (outcome === undefined)
    return live === undefined ? { action: 'none' } : { action: 'withdraw' };
  if (live === undefined) return { action: 'find', kind: outcome };
  return live.kind === outcome ? { action: 'none' } : { action: 'change-kind', kind: outcome };
}

/**
 * The reason a hospital is given for a withdrawal: the implant's own fate first (it is the
 * fact the hospital can act on), else what changed on the recall's side.
 */
export function withdrawalCauseOf(
  implantStatus: ProjectedStatus,
  otherwise: Exclude<WithdrawalCause, 'explanted' | 'entered-in-error'>,
): WithdrawalCause {
  return implantStatus === 'active' ? otherwise : implantStatus;
}
