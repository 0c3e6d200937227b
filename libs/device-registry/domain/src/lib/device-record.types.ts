import type {
  DEVICE_IDENTIFIER_TYPES,
  ISSUING_AGENCIES,
  MARKET_STATUSES,
  MRI_SAFETY,
} from '@implant-trace/contracts';

// The catalogue's vocabulary is the published contract's, so the two cannot drift.
export {
  DEVICE_IDENTIFIER_TYPES,
  ISSUING_AGENCIES,
  MARKET_STATUSES,
  MRI_SAFETY,
} from '@implant-trace/contracts';
export type DeviceIdentifierType = (typeof DEVICE_IDENTIFIER_TYPES)[number];
export type IssuingAgency = (typeof ISSUING_AGENCIES)[number];
export type MriSafety = (typeof MRI_SAFETY)[number];
export type MarketStatus = (typeof MARKET_STATUSES)[number];

export interface DeviceIdentifier {
  deviceIdentifier: string;
  issuingAgency: IssuingAgency;
  type: DeviceIdentifierType;
  quantityPerPackage?: number;
}

/** Which production identifiers the label carries: what a recall by lot or serial can rely on. */
export interface LabelCarries {
  lotNumber: boolean;
  serialNumber: boolean;
  expirationDate: boolean;
  manufactureDate: boolean;
}

export interface DeviceAttributes {
  manufacturer: string;
  brand: string;
  model?: string;
  catalogNumber?: string;
  description?: string;
  gmdnCode?: string;
  implantable: boolean;
  mriSafety: MriSafety;
  labelCarries: LabelCarries;
  status: MarketStatus;
}

/** The full current record, as stored and as published on the devices topic. */
export interface DeviceRecord extends DeviceAttributes {
  deviceId: string;
  revision: number;
  identifiers: DeviceIdentifier[];
  updatedAt: string;
}

/**
 * What a registration or an import row asks for, already validated and normalised. Optional
 * attributes left out keep the device's current value: a partial source never erases a fact.
 */
export interface DeviceDraft {
  /** Exactly one has type `primary`. */
  identifiers: DeviceIdentifier[];
  manufacturer: string;
  brand: string;
  model?: string;
  catalogNumber?: string;
  description?: string;
  gmdnCode?: string;
  implantable?: boolean;
  mriSafety?: MriSafety;
  labelCarries?: LabelCarries;
  status?: MarketStatus;
}

/** One change to the catalogue: a whole device, or more identifiers for a registered one. */
export type DeviceChange =
  | { kind: 'upsert'; draft: DeviceDraft }
  | { kind: 'add-identifiers'; primaryDeviceIdentifier: string; identifiers: DeviceIdentifier[] };

export type { FieldProblem } from '@implant-trace/domain-kernel';
