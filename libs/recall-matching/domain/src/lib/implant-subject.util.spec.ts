import { criteriaSubjectOf } from './implant-subject.util';

const implant = {
  implantId: 'i',
  hospitalOds: 'RXH01',
  deviceIdentifier: '05012345678900',
  lotNumber: 'L1',
  status: 'active' as const,
};

describe('criteriaSubjectOf', () => {
  it('gives every identifier of the device record and what its label carries', () => {
    const labelCarries = {
      lotNumber: true,
      serialNumber: true,
      expirationDate: true,
      manufactureDate: false,
    };
    expect(
      criteriaSubjectOf(implant, {
        deviceId: 'd',
        identifiers: [
          { deviceIdentifier: '15012345678907', issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'package' },
        ],
        manufacturer: 'Acme',
        catalogNumber: 'REF-1',
        labelCarries,
      }),
    ).toEqual({
      device: {
        inCatalogue: true,
        identifiers: ['15012345678907', '05012345678900'],
        manufacturer: 'Acme',
        catalogNumber: 'REF-1',
      },
      status: 'active',
      lotNumber: 'L1',
      labelCarries,
    });
  });

  it('knows only the scanned identifier while no device record names it', () => {
    expect(criteriaSubjectOf(implant, undefined)).toEqual({
      device: { inCatalogue: false, identifiers: ['05012345678900'] },
      status: 'active',
      lotNumber: 'L1',
    });
  });
});
