import {
  criteriaDeviceOf,
  deviceNotInCatalogue,
  type CriteriaSubject,
} from '@implant-trace/recall-criteria';

import type { CatalogueRecord, ProjectedImplant } from './projected-implant.types';

/**
 * The implant as criteria evaluation sees it: the device its scanned identifier resolves to in
 * the replica (every packaging level of it), or only the scanned identifier while no record
 * names it; and what the label carries, from that record.
 */
export function criteriaSubjectOf(
  implant: ProjectedImplant,
  device: CatalogueRecord | undefined,
): CriteriaSubject {
  return {
    device:
      device === undefined
        ? deviceNotInCatalogue(implant.deviceIdentifier)
        : criteriaDeviceOf(device),
    status: implant.status,
    ...(implant.lotNumber === undefined ? {} : { lotNumber: implant.lotNumber }),
    ...(implant.serialNumber === undefined ? {} : { serialNumber: implant.serialNumber }),
    ...(implant.manufactureDate === undefined ? {} : { manufactureDate: implant.manufactureDate }),
    ...(implant.expirationDate === undefined ? {} : { expirationDate: implant.expirationDate }),
    ...(device === undefined ? {} : { labelCarries: device.labelCarries }),
  };
}
