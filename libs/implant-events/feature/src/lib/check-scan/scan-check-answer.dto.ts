import type {
  RecallHit,
  ReplicaDevice,
  ScanCheckOutcome,
  ScanIssue,
  ScanVerdict,
} from '@implant-trace/implant-events-domain';
import type { Udi } from '@implant-trace/udi';

/** The parsed fields, as API.md names them (the raw elements stay inside the service). */
export type ScannedUdi = Omit<Udi, 'elements'>;

export interface ScanCheckAnswer {
  verdict: ScanVerdict;
  udi?: ScannedUdi;
  device?: Omit<ReplicaDevice, 'revision'>;
  recalls: RecallHit[];
  warnings: ScanIssue[];
  /** Why the scan could not be read (`UNREADABLE`). */
  errors?: ScanIssue[];
  /** What the service is unsure of (`UNVERIFIED`). */
  reasons?: string[];
}

const UDI_FIELDS = [
  'deviceIdentifier',
  'lotNumber',
  'serialNumber',
  'expirationDate',
  'manufactureDate',
] as const;

function definedFields<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

export function scanCheckAnswerOf(outcome: ScanCheckOutcome): ScanCheckAnswer {
  const answer: ScanCheckAnswer = {
    verdict: outcome.verdict,
    recalls: outcome.recalls,
    warnings: outcome.warnings,
  };
  const { udi, device } = outcome;
  if (udi !== undefined) {
    answer.udi = {
      format: udi.format,
      issuingAgency: udi.issuingAgency,
      ...definedFields(udi, UDI_FIELDS),
    };
  }
  if (device !== undefined) {
    answer.device = {
      deviceId: device.deviceId,
      identifiers: device.identifiers,
      manufacturer: device.manufacturer,
      brand: device.brand,
      ...definedFields(device, ['model', 'catalogNumber'] as const),
      implantable: device.implantable,
      mriSafety: device.mriSafety,
      labelCarries: device.labelCarries,
      status: device.status,
    };
  }
  if (outcome.errors.length > 0) answer.errors = outcome.errors;
  if (outcome.reasons.length > 0) answer.reasons = outcome.reasons;
  return answer;
}
