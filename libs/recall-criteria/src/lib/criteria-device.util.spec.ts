import { criteriaDeviceOf, deviceNotInCatalogue } from './criteria-device.util';
import { evaluateCriteria } from './recall-criteria.policy';

const record = {
  identifiers: [
    { deviceIdentifier: '05012345678900', issuingAgency: 'GS1' as const, type: 'primary' as const },
    { deviceIdentifier: '15012345678907', issuingAgency: 'GS1' as const, type: 'package' as const },
  ],
  manufacturer: 'Acme Orthopaedics',
  model: 'Hip 2',
};

describe('criteriaDeviceOf', () => {
  it('lists every identifier of the record and its catalogue attributes', () => {
    expect(criteriaDeviceOf({ ...record, catalogNumber: 'REF-100' })).toEqual({
      inCatalogue: true,
      identifiers: ['05012345678900', '15012345678907'],
      manufacturer: 'Acme Orthopaedics',
      catalogNumber: 'REF-100',
      model: 'Hip 2',
    });
  });

  it('lets a recall naming the package identifier select a unit scanned by its primary one', () => {
    const subject = { device: criteriaDeviceOf(record), status: 'active' as const };
    expect(evaluateCriteria({ deviceIdentifiers: ['15012345678907'] }, subject)).toEqual({
      kind: 'matched',
    });
  });
});

describe('deviceNotInCatalogue', () => {
  it('knows only the identifier', () => {
    expect(deviceNotInCatalogue('05099999999990')).toEqual({
      inCatalogue: false,
      identifiers: ['05099999999990'],
    });
  });
});
