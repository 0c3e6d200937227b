export const ACKNOWLEDGEMENT_STAGE_ORDER = [
  'received',
  'action-underway',
  'action-complete',
  'not-applicable',
] as const;

export type AcknowledgementStage = (typeof ACKNOWLEDGEMENT_STAGE_ORDER)[number];

/** `action-complete` and `not-applicable` are alternative ends: neither follows the other. */
const RANK: Record<AcknowledgementStage, number> = {
  received: 1,
  'action-underway': 2,
  'action-complete': 3,
  'not-applicable': 3,
};

export type StageDecision = { kind: 'advance' } | { kind: 'refused'; reason: string };

/**
 * Stages only move forward: the regulator's progress view must never see a hospital go back
 * from "action complete" to "received", which would hide that the work was done, or claim it.
 */
export function decideStage(
  current: AcknowledgementStage | undefined,
  next: AcknowledgementStage,
): StageDecision {
  if (current === undefined || RANK[next] > RANK[current]) return { kind: 'advance' };
  return {
    kind: 'refused',
    reason: `the acknowledgement is already at ${current}; stages only move forward`,
  };
}
