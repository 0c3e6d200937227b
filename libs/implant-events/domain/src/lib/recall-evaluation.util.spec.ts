import type { Udi } from '@implant-trace/udi';

import { recallCriteriaEvaluation } from './recall-evaluation.util';
import type { ReplicaDevice } from './scan-check.types';

const udi = (fields: Partial<Udi> = {}): Udi => ({
  format: 'gs1',
  issuingAgency: 'GS1',
  deviceIdentifier: '15012345678907',
  elements: [],
  ...fields,
});
const device: ReplicaDevice = {
  deviceId: '0190d7e6-0000-7000-8000-000000000001',
  revision: 1,
  identifiers: ['05012345678900', '15012345678907'],
  manufacturer: 'Acme',
  brand: 'Hip',
  model: 'AH-1',
  catalogNumber: 'REF-1',
  implantable: true,
  mriSafety: 'conditional',
  labelCarries: {
    lotNumber: true,
    serialNumber: true,
    expirationDate: true,
    manufactureDate: false,
  },
  status: 'on-market',
};

describe('recallCriteriaEvaluation', () => {
  it('selects the device through any of its identifiers, whatever level was scanned', () => {
    const criteria = { deviceIdentifiers: ['05012345678900'], lotNumbers: ['L1'] };
    expect(recallCriteriaEvaluation(criteria, { udi: udi({ lotNumber: 'L1' }), device })).toBe(
      'matched',
    );
  });

  it('rules out a unit whose known lot the recall does not name', () => {
    const criteria = { deviceIdentifiers: ['05012345678900'], lotNumbers: ['L1'] };
    expect(
      recallCriteriaEvaluation(criteria, { udi: udi({ lotNumber: 'L2' }), device }),
    ).toBeUndefined();
  });

  it('is possible when the scan lacks a constrained field', () => {
    const criteria = { deviceIdentifiers: ['05012345678900'], serialNumbers: ['S1'] };
    expect(recallCriteriaEvaluation(criteria, { udi: udi(), device })).toBe('possible');
  });

  it('selects a device the replica does not hold by the scanned identifier', () => {
    const criteria = { deviceIdentifiers: ['15012345678907'] };
    expect(recallCriteriaEvaluation(criteria, { udi: udi(), device: undefined })).toBe('matched');
  });

  it('leaves recalls undecidable only for want of a catalogue record to UNKNOWN_DEVICE', () => {
    const unknown = udi({ deviceIdentifier: '05099999999991' });
    expect(
      recallCriteriaEvaluation(
        { deviceIdentifiers: ['05012345678900'] },
        { udi: unknown, device: undefined },
      ),
    ).toBeUndefined();
    expect(
      recallCriteriaEvaluation(
        { manufacturer: 'Acme', models: ['AH-1'] },
        { udi: unknown, device: undefined },
      ),
    ).toBeUndefined();
  });

  it('selects by manufacturer and model from the replica', () => {
    const criteria = { manufacturer: 'Acme', models: ['AH-1'] };
    expect(recallCriteriaEvaluation(criteria, { udi: udi(), device })).toBe('matched');
  });
});
