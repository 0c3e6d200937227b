import {
  findPatientIdentifiers,
  maskNhsNumbersInText,
  normalisedFieldName,
} from './patient-identifiers.util';

const NHS_NUMBER = '9434765919';

describe('findPatientIdentifiers', () => {
  it('finds identifier fields and NHS numbers anywhere in a body', () => {
    expect(
      findPatientIdentifiers({
        items: [{ implantId: 'i1', patient: { nhsNumber: NHS_NUMBER } }],
        note: '943 476 5919',
      }),
    ).toEqual(['$.items[0].patient', '$.note']);
  });

  it('accepts counts, per-hospital figures and ten digits that are not an NHS number', () => {
    expect(
      findPatientIdentifiers({
        matched: { implants: 3, patients: 2, patientCount: 2 },
        byHospital: [{ ods: 'RXH01', patients: 2, 'patient-count': 1 }],
        gtin: '1234567890',
        asNumber: 1234567890,
        gtin14: '05012345678900',
        deviceId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
        // A UUID and a digest whose digits pass the NHS number check by chance.
        detail: 'No device 019c0f3e-8a4b-7c3d-9e2f-0123456789ab',
        chainHead: 'sha256 0123456789abcdef0123',
        issuedAt: '2026-12-01T08:47:43.123Z',
        nhsNumber: null,
      }),
    ).toEqual([]);
  });

  describe('every spelling of a patient field', () => {
    it.each([
      'nhsNumber',
      'nhs_number',
      'nhs-number',
      'NHSNumber',
      'NhsNumber',
      'NHS_NUMBER',
      'Nhs-Number',
      'nhs number',
      'patientNhsNumber',
      'patient_nhs_number',
      'localPatientId',
      'local_patient_id',
      'LocalPatientID',
      'dateOfBirth',
      'date_of_birth',
      'DATE-OF-BIRTH',
      'familyName',
      'family_name',
      'postcode',
      'PostCode',
      'wristband_barcode',
    ])('%s holding a string', (field) => {
      expect(findPatientIdentifiers({ row: { [field]: 'redacted?' } })).toEqual([`$.row.${field}`]);
    });

    it.each(['nhsNumber', 'nhs_number', 'NHSNumber', 'mrn', 'hospital-number'])(
      '%s holding a number, even one that fails the check digit',
      (field) => {
        expect(findPatientIdentifiers({ [field]: 1234567890 })).toEqual([`$.${field}`]);
      },
    );

    it.each(['patient', 'Patient', 'patients', 'patient_id', 'patient-ids', 'PatientRef'])(
      '%s holding anything but a count',
      (field) => {
        expect(findPatientIdentifiers({ [field]: [{ ref: 'p1' }] })).toEqual([`$.${field}`]);
        expect(findPatientIdentifiers({ [field]: 'p1' })).toEqual([`$.${field}`]);
        expect(findPatientIdentifiers({ [field]: 3 })).toEqual([]);
      },
    );
  });

  describe('a valid NHS number in every position', () => {
    it.each([
      ['a string', NHS_NUMBER, '$'],
      ['a spaced string', '943 476 5919', '$'],
      ['a dashed string', '943-476-5919', '$'],
      ['a string with Unicode dashes and a no-break space', '943\u2013476\u00a05919', '$'],
      ['a number', 9434765919, '$'],
      ['a bigint', 9434765919n, '$'],
    ])('%s', (_case, value, path) => {
      expect(findPatientIdentifiers(value)).toEqual([path]);
    });

    it.each([
      ['prose', `Implant recorded for ${NHS_NUMBER} at RXH01`],
      ['prose with groups', 'patient 943 476 5919 recalled'],
      ['glued to letters', `NHS${NHS_NUMBER}x`],
      ['after a colon', `nhs:${NHS_NUMBER}`],
      ['in a URL', `/v1/patients/${NHS_NUMBER}/implants`],
      ['the second of two numbers', `1234567890 and ${NHS_NUMBER}`],
    ])('inside a longer string: %s', (_case, text) => {
      expect(findPatientIdentifiers({ detail: text })).toEqual(['$.detail']);
    });

    it('as an object key, which the path (it is logged) does not repeat', () => {
      expect(findPatientIdentifiers({ byPatient: undefined, counts: { [NHS_NUMBER]: 1 } })).toEqual(
        ['$.counts.(an NHS number)'],
      );
    });

    it('deep in arrays of arrays', () => {
      expect(findPatientIdentifiers({ pages: [[{ ok: 1 }, { v: [NHS_NUMBER] }]] })).toEqual([
        '$.pages[0][1].v[0]',
      ]);
    });

    it('in an error body (problem details with field errors)', () => {
      expect(
        findPatientIdentifiers({
          type: 'urn:implant-trace:problem:validation-failed',
          title: 'Conflict',
          status: 409,
          detail: `Implant already live in patient ${NHS_NUMBER}`,
          errors: [{ field: 'patient.nhsNumber', message: `943 476 5919 is recorded twice` }],
        }),
      ).toEqual(['$.detail', '$.errors[0].message']);
    });
  });
});

describe('normalisedFieldName', () => {
  it('folds camel, snake, kebab and capitalised spellings into one', () => {
    expect(
      new Set(
        ['nhsNumber', 'nhs_number', 'nhs-number', 'NHSNumber', 'NhsNumber', 'NHS_NUMBER'].map(
          normalisedFieldName,
        ),
      ),
    ).toEqual(new Set(['nhsnumber']));
  });
});

describe('maskNhsNumbersInText', () => {
  it('leaves a UUID whose digits pass the NHS number check as it is', () => {
    expect(
      maskNhsNumbersInText({ detail: 'No device 019c0f3e-8a4b-7c3d-9e2f-0123456789ab' }),
    ).toEqual({ detail: 'No device 019c0f3e-8a4b-7c3d-9e2f-0123456789ab' });
  });

  it('masks valid NHS numbers inside strings at any depth, and nothing else', () => {
    const body = {
      rejections: [{ line: 9, reason: `${NHS_NUMBER}: not a valid GTIN` }],
      notes: ['943 476 5919 and 1234567890'],
      count: 9434765919,
      [NHS_NUMBER]: 'key',
    };
    expect(maskNhsNumbersInText(body)).toEqual({
      rejections: [{ line: 9, reason: '**********: not a valid GTIN' }],
      notes: ['********** and 1234567890'],
      count: 9434765919,
      [NHS_NUMBER]: 'key',
    });
    expect(findPatientIdentifiers(maskNhsNumbersInText(body))).toEqual([
      '$.count',
      '$.(an NHS number)',
    ]);
  });
});
