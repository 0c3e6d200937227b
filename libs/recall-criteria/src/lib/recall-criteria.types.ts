import type { RecallCriteriaValue } from '@implant-trace/contracts';

/** Which implants a recall covers, as the contract carries it (API.md, recall-matching). */
export type RecallCriteria = RecallCriteriaValue;

/**
 * The device a label or an implant record resolved to, as the catalogue replica knows it. A
 * recall's device identifier selects the whole device, so `identifiers` holds every identifier
 * of every packaging level the catalogue lists for it, not only the one that was scanned.
 */
export type CriteriaDevice =
  | {
      inCatalogue: true;
      identifiers: readonly string[];
      catalogNumber?: string;
      manufacturer: string;
      model?: string;
    }
  | {
      /** The scanned identifier resolved to no catalogue record (yet): only it is known. */
      inCatalogue: false;
      identifiers: readonly string[];
    };

/** Whether the device's label carries each production identifier (from its catalogue record). */
export interface CriteriaLabelCarries {
  lotNumber?: boolean;
  serialNumber?: boolean;
  manufactureDate?: boolean;
  expirationDate?: boolean;
}

export const CRITERIA_SUBJECT_STATUSES = ['active', 'explanted', 'entered-in-error'] as const;
/** `active`: in a patient, or in hand at the point of use. */
export type CriteriaSubjectStatus = (typeof CRITERIA_SUBJECT_STATUSES)[number];

/** One implant record, or one unit scanned at the point of use, as criteria evaluation sees it. */
export interface CriteriaSubject {
  device: CriteriaDevice;
  status: CriteriaSubjectStatus;
  lotNumber?: string;
  serialNumber?: string;
  /** YYYY-MM-DD. */
  manufactureDate?: string;
  /** YYYY-MM-DD. */
  expirationDate?: string;
  /** Unknown (absent) when the device is not in the catalogue. */
  labelCarries?: CriteriaLabelCarries;
}

/** A subject field that a criterion constrains but whose value is not known. */
export type UnknownField =
  | 'deviceIdentifier'
  | 'catalogNumber'
  | 'manufacturer'
  | 'model'
  | 'lotNumber'
  | 'serialNumber'
  | 'manufactureDate'
  | 'expirationDate';

export type UnknownReason =
  /** The device's label never carries this production identifier. */
  | 'label-does-not-carry'
  /** The label carries it (or whether it does is unknown) but the scan or record has no value. */
  | 'not-captured'
  /** The device is not in the catalogue, so none of its catalogue attributes is known. */
  | 'device-not-in-catalogue'
  /** The device's catalogue record has no value for this attribute. */
  | 'not-in-device-record';

export interface PossibleBecause {
  field: UnknownField;
  reason: UnknownReason;
}

export type CriteriaOutcome =
  | { kind: 'matched' }
  /** Every known value matches, but a constrained field is unknown: report it apart. */
  | { kind: 'possible'; because: PossibleBecause[] }
  | { kind: 'not-matched' };
