import { parseUdi } from '../parse-udi';
import { UdiIssueCode } from '../udi-issue-code';
import { errorCodes, warningCodes } from '../udi-test.util';

describe('ICCBBA ISBT 128', () => {
  it('reads the ST-017 section 5 compound message', () => {
    // ISBT 128 ST-017 (Coding and Labeling of Medical Devices Containing MPHO) section 5 example.
    const scan =
      '=+06000=/A9999XYZ100T0476=,000025=A99971712345600=>019032=}017032&,1000000000000XYZ123';
    expect(parseUdi(scan)).toEqual({
      ok: true,
      warnings: [],
      udi: {
        format: 'iccbba',
        issuingAgency: 'ICCBBA',
        deviceIdentifier: 'A9999XYZ100T0476',
        serialNumber: '000025',
        lotNumber: '000000000000XYZ123',
        expirationDate: '2019-02-01',
        manufactureDate: '2017-02-01',
        elements: [
          { ai: '=+', value: '06000' },
          { ai: '=/', value: 'A9999XYZ100T0476' },
          { ai: '=,', value: '000025' },
          { ai: '=', value: 'A99971712345600' },
          { ai: '=>', value: '019032' },
          { ai: '=}', value: '017032' },
          { ai: '&,1', value: '000000000000XYZ123' },
        ],
      },
    });
  });

  it('reads the ST-017 section 4.3.2 specified-sequence message', () => {
    const result = parseUdi('=+04035=/A9997XYZ100T0479=,000012=A99991712345600=>019031');
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: 'A9997XYZ100T0479',
      serialNumber: '000012',
      expirationDate: '2019-01-31',
    });
  });

  it('reads a lone PPIC (ST-017 figure 1) and asks for the DIN and Product Divisions', () => {
    const result = parseUdi('=/A9997AB3456T0123');
    expect(result.ok && result.udi.deviceIdentifier).toBe('A9997AB3456T0123');
    expect(warningCodes(result)).toEqual([UdiIssueCode.ISBT128_MISSING_TRACEABILITY_PI]);
  });

  it('reads date-and-time structures and other fixed-length structures', () => {
    const result = parseUdi('=/A9997AB3456T0123&>0263652359=,000001=A99991712345600=<T0475000');
    expect(result.ok && result.udi.expirationDate).toBe('2026-12-31');
  });

  it.each([
    ['a DIN alone', '=A99991712345600', UdiIssueCode.ISBT128_NO_DEVICE_IDENTIFIER],
    [
      'an unknown data identifier',
      '=/A9997AB3456T0123&a12',
      UdiIssueCode.ISBT128_UNKNOWN_DATA_IDENTIFIER,
    ],
    ['a truncated PPIC', '=/A9997AB3456', UdiIssueCode.ISBT128_TRUNCATED],
    ['letter O in the FIN(P)', '=/O9997AB3456T0123', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    ['lower case in the PPIC', '=/A9997ab3456T0123', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    [
      'letters in the DIN sequence',
      '=/A9997AB3456T0123=A999917ABC45600',
      UdiIssueCode.ISBT128_INVALID_CHARACTER,
    ],
    [
      'control character in other content',
      '=/A9997AB3456T0123=%51\u000100',
      UdiIssueCode.ISBT128_INVALID_CHARACTER,
    ],
    ['a bad compound header', '=+0A000=/A9997AB3456T0123', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    ['Julian day 366 in 2019', '=/A9997AB3456T0123=>019366', UdiIssueCode.ISBT128_INVALID_DATE],
    ['hour 24', '=/A9997AB3456T0123&>0263652400', UdiIssueCode.ISBT128_INVALID_DATE],
    [
      'a wrong structure count',
      '=+03000=/A9997AB3456T0123=,000001',
      UdiIssueCode.ISBT128_COMPOUND_COUNT_MISMATCH,
    ],
    [
      'two different PPICs',
      '=/A9997AB3456T0123=/A9997AB3456T0124',
      UdiIssueCode.ISBT128_CONFLICTING_DUPLICATE,
    ],
  ])('rejects %s', (_name, scan, code) => {
    expect(errorCodes(parseUdi(scan))).toEqual([code]);
  });
});

/**
 * Blood containers (bags): ST-001 2.4.17 Container Manufacturer and Catalog Number `=)bqqwwwwwww`
 * is the device identifier and 2.4.18 Container Lot Number `&)xxxxxxxxxx` its production
 * identifier, as in ICCBBA's FDA-accredited UDI format and the HL7 FHIR R4 Device example
 * "Blood Bag UDI example ICCBBA Format" (example-udi4).
 */
describe('ISBT 128 blood container (bag) identification', () => {
  it('reads the FHIR blood bag example: the container identification is the DI, its lot the PI', () => {
    expect(parseUdi('=)1TE123456A&)RZ12345678')).toEqual({
      ok: true,
      warnings: [],
      udi: {
        format: 'iccbba',
        issuingAgency: 'ICCBBA',
        deviceIdentifier: '1TE123456A',
        lotNumber: 'RZ12345678',
        elements: [
          { ai: '=)', value: '1TE123456A' },
          { ai: '&)', value: 'RZ12345678' },
        ],
      },
    });
  });

  it('reads a compound message and the zero-padded lower-case values of ST-001', () => {
    // ST-001 2.4.17/2.4.18: catalogue number 27QzE is sent as 0027QzE, lot 1234rZ as 00001234rZ.
    const result = parseUdi('=+02000=)2XX0027QzE&)00001234rZ');
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: '2XX0027QzE',
      lotNumber: '00001234rZ',
    });
    expect(warningCodes(result)).toEqual([]);
  });

  it('accepts y (a whole set) and z (a carton of sets) as the container character', () => {
    for (const scan of ['=)yTE123456A&)RZ12345678', '=)zTE123456A&)RZ12345678']) {
      expect(errorCodes(parseUdi(scan))).toEqual([]);
    }
  });

  it('reads a lone container bar code (ST-001 figure 5) and asks for its lot', () => {
    const result = parseUdi('=)2XX00AB123');
    expect(result.ok && result.udi.deviceIdentifier).toBe('2XX00AB123');
    expect(result.ok && result.udi.lotNumber).toBeUndefined();
    expect(warningCodes(result)).toEqual([UdiIssueCode.ISBT128_MISSING_TRACEABILITY_PI]);
  });

  it.each([
    [
      'a reserved lower-case container character',
      '=)aTE123456A',
      UdiIssueCode.ISBT128_INVALID_CHARACTER,
    ],
    ['a lower-case manufacturer code', '=)1te123456A', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    ['punctuation in the catalogue number', '=)1TE12345-A', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    ['punctuation in the lot', '=)1TE123456A&)RZ1234567-', UdiIssueCode.ISBT128_INVALID_CHARACTER],
    ['a truncated container identification', '=)1TE12', UdiIssueCode.ISBT128_TRUNCATED],
    ['a container lot alone', '&)RZ12345678', UdiIssueCode.ISBT128_UNPAIRED_STRUCTURE],
    [
      'a container lot with a PPIC',
      '=/A9997AB3456T0123&)RZ12345678',
      UdiIssueCode.ISBT128_UNPAIRED_STRUCTURE,
    ],
    [
      'an item lot without its item catalogue number',
      '=)1TE123456A&-LOT0000001',
      UdiIssueCode.ISBT128_UNPAIRED_STRUCTURE,
    ],
    [
      'a PPIC and a container in one scan',
      '=/A9997AB3456T0123=)1TE123456A',
      UdiIssueCode.ISBT128_AMBIGUOUS_DEVICE_IDENTIFIER,
    ],
    [
      'two different container lots',
      '=)1TE123456A&)RZ12345678&)RZ12345679',
      UdiIssueCode.ISBT128_CONFLICTING_DUPLICATE,
    ],
  ])('rejects %s', (_name, scan, code) => {
    expect(errorCodes(parseUdi(scan))).toEqual([code]);
  });
});
