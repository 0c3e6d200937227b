import type { ReviewFlag } from '@implant-trace/contracts';
import { ConflictError } from '@implant-trace/domain-kernel';

import type { ScanVerdict } from './scan-verdict.policy';

/** What is known when an implant is recorded; each doubt flags it, none refuses it. */
export interface RecordingFacts {
  verdict: ScanVerdict;
  /** Why the verdict is `UNVERIFIED`. */
  verdictReasons: readonly string[];
  entryMethod: 'barcode' | 'manual';
  nhsNumberUnavailable: boolean;
  parseWarnings: readonly string[];
  /** Live implants of this hospital system already carrying the same identifier and serial. */
  liveDuplicateIds: readonly string[];
}

export interface ReviewDecision {
  reviewFlags: ReviewFlag[];
  warnings: string[];
}

/**
 * A lost implant record is the worse harm, so a doubtful recording is kept and flagged for
 * review with the reason, in the order a reviewer should read them.
 */
export function decideReview(facts: RecordingFacts): ReviewDecision {
  const flags: ReviewFlag[] = [];
  const warnings: string[] = [];
  const flag = (reviewFlag: ReviewFlag, warning: string) => {
    if (!flags.includes(reviewFlag)) flags.push(reviewFlag);
    warnings.push(warning);
  };
  switch (facts.verdict) {
    case 'RECALLED':
      flag('recalled-device', 'the device is under an open recall');
      break;
    case 'EXPIRED':
      flag('expired-device', 'the device had expired when it was recorded');
      break;
    case 'UNKNOWN_DEVICE':
      flag('unknown-device', 'the device identifier is not in the catalogue');
      break;
    case 'UNVERIFIED':
      flag(
        'unverified-device',
        'the device could not be checked against the catalogue and recalls',
      );
      for (const reason of facts.verdictReasons) warnings.push(`unverified: ${reason}`);
      break;
    case 'OK':
    case 'UNREADABLE':
      break;
  }
  if (facts.entryMethod === 'manual') flag('manual-entry', 'the device was entered by hand');
  if (facts.nhsNumberUnavailable) {
    flag('nhs-number-unavailable', 'the patient has no NHS number yet');
  }
  for (const warning of facts.parseWarnings) flag('parse-warning', `barcode: ${warning}`);
  for (const implantId of facts.liveDuplicateIds) {
    flag(
      'duplicate-serial',
      `the device identifier and serial are already live in implant ${implantId}`,
    );
  }
  return { reviewFlags: flags, warnings };
}

/** A review that cannot be resolved: nothing was flagged, or it is already resolved. */
export class ReviewNotOpenError extends ConflictError {
  override readonly problemType = 'urn:implant-trace:problem:review-not-open';
}

/** Only an open review is resolved, once: a second resolution would overwrite the first note. */
export function assertReviewOpen(review: {
  reviewFlags: readonly string[];
  resolvedAt: Date | null;
}): void {
  if (review.reviewFlags.length === 0) {
    throw new ReviewNotOpenError('the implant was not flagged for review');
  }
  if (review.resolvedAt !== null) {
    throw new ReviewNotOpenError(`the review was resolved at ${review.resolvedAt.toISOString()}`);
  }
}
