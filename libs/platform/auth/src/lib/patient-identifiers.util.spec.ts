import { findPatientIdentifiers } from './patient-identifiers.util';

describe('findPatientIdentifiers', () => {
  it('finds identifier fields and NHS numbers anywhere in a body', () => {
    expect(
      findPatientIdentifiers({
        items: [{ implantId: 'i1', patient: { nhsNumber: '9434765919' } }],
        note: '943 476 5919',
      }),
    ).toEqual(['$.items[0].patient', '$.note']);
  });

  it('accepts counts, per-hospital figures and ten digits that are not an NHS number', () => {
    expect(
      findPatientIdentifiers({
        matched: { implants: 3, patients: 2 },
        byHospital: [{ ods: 'RXH01', patients: 2 }],
        gtin: '1234567890',
      }),
    ).toEqual([]);
  });
});
