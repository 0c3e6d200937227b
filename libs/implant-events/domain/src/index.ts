export { recallCriteriaEvaluation } from './lib/recall-evaluation.util';
export { isExpired } from './lib/expiry.util';
export {
  assembleScan,
  ScanAssemblyCode,
  type AssembledScan,
  type ScanIssue,
} from './lib/scan-assembly.util';
export type {
  ActiveRecall,
  LabelCarries,
  RecallEvaluation,
  RecallMatch,
  RecallSubject,
  ReplicaDevice,
} from './lib/scan-check.types';
export {
  decideScanVerdict,
  RECALL_INDEX_UNREADABLE,
  SCAN_VERDICTS,
  type RecallHit,
  type ScanCheckOutcome,
  type ScanKnowledge,
  type ScanVerdict,
} from './lib/scan-verdict.policy';
export {
  assertReviewOpen,
  decideReview,
  ReviewNotOpenError,
  type RecordingFacts,
  type ReviewDecision,
} from './lib/implant-review.policy';
export {
  IMPLANT_STATUSES,
  ImplantTransitionRefusedError,
  nextImplantStatus,
  type ImplantStatus,
  type ImplantTransition,
} from './lib/implant-lifecycle.policy';
