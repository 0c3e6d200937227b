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

export interface DryRun {
  matched: { implants: number; patients: number };
  possible: { implants: number; patients: number };
  byHospital: { ods: string; matched: number; possible: number }[];
}

export interface Recall {
  recallId: string;
  title: string;
  reason?: string;
  class: 'I' | 'II' | 'III';
  status: string;
  criteria?: RecallCriteria;
  issuedAt?: string;
}

export interface RecallProgress {
  affected: { implants: number; patients: number; hospitals: number };
  possible: { implants: number; patients: number; hospitals?: number };
  byHospital: {
    ods: string;
    implants: number;
    patients: number;
    notifiedAt?: string;
    acknowledgement?: { stage: string; at: string };
    overdue: boolean;
  }[];
  followUp: Record<string, number>;
}
