import type { Verdict } from '@implant-trace/theatre-web-domain';

/** The parts of the services' answers (API.md) that the pages show. */
export interface CheckedUdi {
  format: string;
  issuingAgency: string;
  deviceIdentifier?: string;
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  manufactureDate?: string;
}

export interface CheckedDevice {
  deviceId: string;
  manufacturer: string;
  brand: string;
  model?: string;
  catalogNumber?: string;
  mriSafety?: string;
}

export interface RecallHit {
  recallId: string;
  title: string;
  class: string;
  match: 'matched' | 'possible';
}

export interface Warning {
  code?: string;
  message: string;
}

export interface ScanCheck {
  udi?: CheckedUdi;
  device?: CheckedDevice;
  verdict: Verdict;
  recalls?: RecallHit[];
  warnings: Warning[];
  reason?: string;
}

export interface RecordedImplant {
  implantId: string;
  udi?: CheckedUdi;
  entryMethod: 'barcode' | 'manual';
  verdict: Verdict;
  reviewFlags?: string[];
  warnings: Warning[];
}

export interface ImplantCard {
  implantId: string;
  status: 'implanted' | 'explanted';
  implantedAt: string;
  explantedAt?: string;
  hospitalOds: string;
  udi: CheckedUdi;
  lotNumber?: string;
  serialNumber?: string;
  device?: {
    deviceId: string;
    name: string;
    model?: string;
    manufacturer: string;
    mriSafety?: string;
  };
  reviewFlags: string[];
}

export interface PatientImplants {
  nhsNumber: string;
  implants: ImplantCard[];
}

export interface ReviewItem {
  implantId: string;
  udi: CheckedUdi;
  verdict: string;
  status: string;
  implantedAt: string;
  recordedAt: string;
  recordedBy: string;
  reviewFlags: string[];
  warnings: string[];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface ImportReport {
  format: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
  rejectionsTruncated: boolean;
}

export interface RecallCriteria {
  deviceIdentifiers?: string[];
  catalogNumbers?: string[];
  manufacturer?: string;
  models?: string[];
  lotNumbers?: string[];
  serialNumbers?: string[];
  serialRanges?: { from: string; to: string }[];
  manufacturedBetween?: { from?: string; to?: string };
  expiresBetween?: { from?: string; to?: string };
}

export interface Counts {
  implants: number;
  patients: number;
}

/**
 * recall-matching's projection of implants and acknowledgements: while it has not applied
 * everything published (`caughtUp` false), every count it gives may be short.
 */
export interface ProjectionState {
  caughtUp: boolean;
  doubts: string[];
}

export interface DryRun {
  matched: Counts;
  possible: Counts;
  byHospital: { ods: string; matched: Counts; possible: Counts }[];
  projection: ProjectionState;
}

/** What recall-matching read of a manufacturer's list of affected units. */
export interface ScopeReport {
  rows: number;
  accepted: { deviceIdentifiers: number; lotNumbers: number; serialNumbers: number };
  rejected: { line: number; reason: string }[];
}

export interface Recall {
  recallId: string;
  title: string;
  reason?: string;
  class: 'I' | 'II' | 'III';
  status: string;
  criteria?: RecallCriteria;
  issuedAt?: string;
  actionsUnderwayBy?: string;
  actionsCompleteBy?: string;
}

export interface RecallProgress {
  recallId: string;
  status: string;
  affected: { implants: number; patients: number; hospitals: number };
  possible: { implants: number; patients: number; hospitals: number };
  byHospital: {
    ods: string;
    implants: number;
    patients: number;
    possible: Counts;
    notifiedAt?: string;
    acknowledgement?: { stage: string; at: string };
    overdue: boolean;
  }[];
  followUp: Record<string, number>;
  projection: ProjectionState;
}
