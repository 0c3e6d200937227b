import type { DeviceRecordValue } from '@implant-trace/contracts';

export const PROJECTED_STATUSES = ['active', 'explanted', 'entered-in-error'] as const;
/** `active`: still in the patient as far as this service has heard. */
export type ProjectedStatus = (typeof PROJECTED_STATUSES)[number];

/** What recall matching knows of one implant, from `implant-events.implants.v1`. */
export interface ProjectedImplant {
  implantId: string;
  hospitalOds: string;
  /** The identifier as scanned (any packaging level). */
  deviceIdentifier: string;
  lotNumber?: string;
  serialNumber?: string;
  /** YYYY-MM-DD. */
  manufactureDate?: string;
  /** YYYY-MM-DD. */
  expirationDate?: string;
  status: ProjectedStatus;
}

/** A catalogue record of the replica, as the devices topic carried it. */
export type CatalogueRecord = Pick<
  DeviceRecordValue,
  'deviceId' | 'identifiers' | 'catalogNumber' | 'manufacturer' | 'model' | 'labelCarries'
>;
