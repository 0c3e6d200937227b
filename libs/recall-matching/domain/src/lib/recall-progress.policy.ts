import type { ACKNOWLEDGEMENT_STAGES } from '@implant-trace/contracts';

export type AcknowledgementStage = (typeof ACKNOWLEDGEMENT_STAGES)[number];

export interface RecallDeadlines {
  status: 'open' | 'closed';
  /** YYYY-MM-DD: actions underway by the end of this day. */
  actionsUnderwayBy?: string;
  /** YYYY-MM-DD: actions complete by the end of this day. */
  actionsCompleteBy?: string;
}

/** The stages that meet each deadline: a hospital the recall does not apply to meets both. */
const MEETS_UNDERWAY: ReadonlySet<AcknowledgementStage> = new Set([
  'action-underway',
  'action-complete',
  'not-applicable',
]);
const MEETS_COMPLETE: ReadonlySet<AcknowledgementStage> = new Set([
  'action-complete',
  'not-applicable',
]);

/**
 * Whether a hospital is behind a recall's deadlines on `today` (its London date): past a
 * deadline's day without having reached the stage it asks for. No acknowledgement at all is
 * behind both. A closed recall asks nothing more of anyone.
 */
export function isOverdue(
  recall: RecallDeadlines,
  stage: AcknowledgementStage | undefined,
  today: string,
): boolean {
  if (recall.status === 'closed') return false;
  const behind = (deadline: string | undefined, meets: ReadonlySet<AcknowledgementStage>) =>
    deadline !== undefined && today > deadline && (stage === undefined || !meets.has(stage));
  return (
    behind(recall.actionsUnderwayBy, MEETS_UNDERWAY) ||
    behind(recall.actionsCompleteBy, MEETS_COMPLETE)
  );
}
