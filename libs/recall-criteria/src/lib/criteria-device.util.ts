import type { DeviceRecordValue } from '@implant-trace/contracts';

import type { CriteriaDevice } from './recall-criteria.types';

type CatalogueRecord = Pick<
  DeviceRecordValue,
  'identifiers' | 'catalogNumber' | 'manufacturer' | 'model'
>;

/**
 * The device as criteria see it, from its catalogue record as the devices topic carries it: every
 * identifier of every packaging level, so that a recall naming any of them selects the device
 * whichever box was scanned.
 */
export function criteriaDeviceOf(record: CatalogueRecord): CriteriaDevice {
  return {
    inCatalogue: true,
    identifiers: record.identifiers.map((identifier) => identifier.deviceIdentifier),
    manufacturer: record.manufacturer,
    ...(record.catalogNumber === undefined ? {} : { catalogNumber: record.catalogNumber }),
    ...(record.model === undefined ? {} : { model: record.model }),
  };
}

/** A scanned or recorded identifier that the catalogue does not (yet) resolve to a device. */
export function deviceNotInCatalogue(deviceIdentifier: string): CriteriaDevice {
  return { inCatalogue: false, identifiers: [deviceIdentifier] };
}
