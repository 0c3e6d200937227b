import type { Udi } from '@implant-trace/udi';

import { isExpired } from './expiry.util';
import type { AssembledScan, ScanIssue } from './scan-assembly.util';
import type {
  ActiveRecall,
  RecallEvaluation,
  RecallMatch,
  ReplicaDevice,
} from './scan-check.types';

export const SCAN_VERDICTS = [
  'OK',
  'RECALLED',
  'EXPIRED',
  'UNKNOWN_DEVICE',
  'UNREADABLE',
  'UNVERIFIED',
] as const;
export type ScanVerdict = (typeof SCAN_VERDICTS)[number];

export interface RecallHit {
  recallId: string;
  title: string;
  class: ActiveRecall['class'];
  match: RecallMatch;
}

/**
 * What the service knows when it answers. Each reason is a doubt that forbids `OK`: the
 * replica or the index still behind the topic's end, or the index unreadable.
 */
export interface ScanKnowledge {
  scan: AssembledScan;
  device: ReplicaDevice | undefined;
  /** Undefined when neither the cache nor the database could be read. */
  recalls: readonly ActiveRecall[] | undefined;
  doubts: readonly string[];
  today: string;
  evaluate: RecallEvaluation;
}

export interface ScanCheckOutcome {
  verdict: ScanVerdict;
  udi: Udi | undefined;
  device: ReplicaDevice | undefined;
  recalls: RecallHit[];
  warnings: ScanIssue[];
  errors: ScanIssue[];
  /** Why the verdict is `UNVERIFIED`. */
  reasons: string[];
}

export const RECALL_INDEX_UNREADABLE =
  'the recall index cannot be read (neither the cache nor the database answers)';

/**
 * The answer to theatre before a package is opened. Certain bad news comes first (a recall
 * known to apply, an expired label): it holds whatever else is unknown. Any doubt then makes
 * the answer `UNVERIFIED`, never `OK`; an identifier missing from a replica that is still
 * catching up is a doubt too, not an unknown device.
 */
export function decideScanVerdict(knowledge: ScanKnowledge): ScanCheckOutcome {
  const { scan, device, recalls, today, evaluate } = knowledge;
  if (!scan.ok) {
    return {
      verdict: 'UNREADABLE',
      udi: undefined,
      device: undefined,
      recalls: [],
      warnings: [],
      errors: scan.errors,
      reasons: [],
    };
  }
  const { udi } = scan;
  const hits: RecallHit[] = [];
  const doubts = [...knowledge.doubts, ...(recalls === undefined ? [RECALL_INDEX_UNREADABLE] : [])];
  for (const recall of recalls ?? []) {
    let match: RecallMatch | undefined;
    try {
      match = evaluate(recall.criteria, { udi, device });
    } catch {
      // Criteria the rules refuse (recall-matching validates them first) say nothing either way.
      doubts.push(`recall ${recall.recallId} has criteria that cannot be evaluated`);
      continue;
    }
    if (match === undefined) continue;
    hits.push({ recallId: recall.recallId, title: recall.title, class: recall.class, match });
  }
  const outcome = (verdict: ScanVerdict, reasons: string[] = []): ScanCheckOutcome => ({
    verdict,
    udi,
    device,
    recalls: hits,
    warnings: scan.warnings,
    errors: [],
    reasons,
  });
  const expired = isExpired(udi.expirationDate, today);
  if (hits.length > 0) {
    const answer = outcome('RECALLED');
    if (expired) answer.warnings = [...answer.warnings, expiredWarning(udi)];
    return answer;
  }
  if (expired) return outcome('EXPIRED');
  if (doubts.length > 0) return outcome('UNVERIFIED', doubts);
  if (device === undefined) return outcome('UNKNOWN_DEVICE');
  return outcome('OK');
}

function expiredWarning(udi: Udi): ScanIssue {
  return { code: 'EXPIRED', message: `the label expired on ${udi.expirationDate ?? ''}` };
}
