import type { RecallCriteriaValue } from '@implant-trace/contracts';
import type { Udi } from '@implant-trace/udi';

/** Which production identifiers the device's label carries, as the catalogue records it. */
export interface LabelCarries {
  lotNumber: boolean;
  serialNumber: boolean;
  expirationDate: boolean;
  manufactureDate: boolean;
}

/** A device of this service's replica of the catalogue, found by any of its identifiers. */
export interface ReplicaDevice {
  deviceId: string;
  revision: number;
  identifiers: string[];
  manufacturer: string;
  brand: string;
  model?: string;
  catalogNumber?: string;
  implantable: boolean;
  mriSafety: 'safe' | 'conditional' | 'unsafe' | 'unknown';
  labelCarries: LabelCarries;
  status: 'on-market' | 'withdrawn';
}

/** An open recall of the index. */
export interface ActiveRecall {
  recallId: string;
  title: string;
  class: 'I' | 'II' | 'III';
  criteria: RecallCriteriaValue;
}

export type RecallMatch = 'matched' | 'possible';

/** What a recall's criteria are evaluated against: the scanned UDI and, when known, its device. */
export interface RecallSubject {
  udi: Udi;
  device: ReplicaDevice | undefined;
}

/**
 * Whether a recall's criteria select the scanned unit: `possible` when they constrain a field
 * the label does not carry. The one home of that rule is the shared recall-criteria library;
 * the scan check only calls it.
 */
export type RecallEvaluation = (
  criteria: RecallCriteriaValue,
  subject: RecallSubject,
) => RecallMatch | undefined;
