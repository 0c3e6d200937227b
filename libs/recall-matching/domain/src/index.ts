export { criteriaSubjectOf } from './lib/implant-subject.util';
export { nextProjectedStatus } from './lib/implant-projection.policy';
export {
  decideMatchChange,
  MATCH_KINDS,
  withdrawalCauseOf,
  type HeldMatch,
  type MatchChange,
  type MatchKind,
  type WithdrawalCause,
} from './lib/match-change.policy';
export {
  PROJECTED_STATUSES,
  type CatalogueRecord,
  type ProjectedImplant,
  type ProjectedStatus,
} from './lib/projected-implant.types';
export {
  MatchNotFoundError,
  RecallClosedError,
  RecallNotFoundError,
} from './lib/recall-matching.errors';
export {
  InvalidRecallError,
  prepareRecallTerms,
  nextChangeTime,
  recallTermsProblems,
  type RecallTerms,
} from './lib/recall-details.policy';
export {
  isOverdue,
  type AcknowledgementStage,
  type RecallDeadlines,
} from './lib/recall-progress.policy';
export {
  applyScope,
  SCOPE_MODES,
  ScopeCollector,
  type ScopeColumns,
  type ScopeList,
  type ScopeMode,
  type ScopeRejection,
} from './lib/recall-scope.policy';
