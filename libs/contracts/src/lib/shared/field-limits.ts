/**
 * The longest value each text field of a contract may hold. The payload classes enforce them on
 * publish and consume, and every service that accepts the same fields (an HTTP body, an import
 * row) checks them with these same numbers: a value the contract would refuse is turned away
 * where it arrives, with its field named, instead of failing later when its event is published.
 */
export const DEVICE_FIELD_LIMITS = {
  deviceIdentifier: 64,
  manufacturer: 200,
  brand: 200,
  model: 200,
  catalogNumber: 100,
  description: 2000,
  gmdnCode: 20,
} as const;

export const UDI_FIELD_LIMITS = {
  deviceIdentifier: DEVICE_FIELD_LIMITS.deviceIdentifier,
  lotNumber: 64,
  serialNumber: 64,
} as const;
