import { parseUdi } from '../parse-udi';
import { UdiIssueCode } from '../udi-issue-code';
import { GS, TEST_CLOCK, errorCodes, warningCodes } from '../udi-test.util';
import type { ParseUdiOptions } from '../udi.types';

const options: ParseUdiOptions = { clock: TEST_CLOCK };
const parse = (scan: string) => parseUdi(scan, options);

describe('GS1 element strings', () => {
  it('reads GTIN, expiry, lot and serial with a GS after the lot', () => {
    // GS1 DataMatrix Guideline 2.2.2-style healthcare example; GTIN check digit verified.
    const result = parse(`]d2010950110153000317260731${''}10AB-123${GS}21S12345`);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      udi: {
        format: 'gs1',
        issuingAgency: 'GS1',
        deviceIdentifier: '09501101530003',
        expirationDate: '2026-07-31',
        lotNumber: 'AB-123',
        serialNumber: 'S12345',
        elements: [
          { ai: '01', value: '09501101530003' },
          { ai: '17', value: '260731' },
          { ai: '10', value: 'AB-123' },
          { ai: '21', value: 'S12345' },
        ],
      },
    });
  });

  it('reads the FDA GUDID example with production date, expiry, lot and serial', () => {
    // FDA "UDI formats by issuing agency", GS1 example (01)10884521062856(11)141231(17)150707(10)A213B1(21)1234.
    const result = parse(`0110884521062856111412311715070710A213B1${GS}211234`);
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: '10884521062856',
      manufactureDate: '2014-12-31',
      expirationDate: '2015-07-07',
      lotNumber: 'A213B1',
      serialNumber: '1234',
    });
  });

  it('accepts FNC1 in first position transmitted as a leading GS, and redundant separators', () => {
    const a = parse(`${GS}0109506000134352${GS}10LOT1`);
    expect(a.ok && a.udi.lotNumber).toBe('LOT1');
    const b = parse(`0109506000134352${GS}${GS}10LOT1${GS}`);
    expect(b.ok && b.udi.elements).toEqual([
      { ai: '01', value: '09506000134352' },
      { ai: '10', value: 'LOT1' },
    ]);
  });

  it('treats every GS1 symbology identifier as GS1 data', () => {
    for (const id of [']C1', ']d2', ']Q3', ']e0', ']J1']) {
      const result = parse(`${id}0109506000134352`);
      expect(result.ok && result.udi.deviceIdentifier).toBe('09506000134352');
    }
  });

  it('reads day 00 as the last day of the month (GS1 General Specifications 3.4.7)', () => {
    const feb = parse('01095060001343521728020010X');
    expect(feb.ok && feb.udi.expirationDate).toBe('2028-02-29');
    const prod = parse('01095060001343521125040010X');
    expect(prod.ok && prod.udi.manufactureDate).toBe('2025-04-30');
  });

  it('places two-digit years in the GS1 sliding century window', () => {
    const far = parse('010950600013435217761231');
    expect(far.ok && far.udi.expirationDate).toBe('2076-12-31');
    const past = parse('010950600013435211770101');
    expect(past.ok && past.udi.manufactureDate).toBe('1977-01-01');
  });

  it('takes the expiry from AI 7003 when AI 17 is absent', () => {
    const result = parse('010950600013435270032612311530');
    expect(result.ok && result.udi.expirationDate).toBe('2026-12-31');
  });

  it('reads non-device AIs of the full table and checks their rules', () => {
    // 3103 net weight, 8013 GMN with check pair (GS1 General Specifications 7.9.5 example), 8007 IBAN.
    const result = parse(
      `01095060001343523103000125${''}80131987654Ad4X4bL5ttr2310c2K${GS}8007GB82WEST12345698765432${GS}4321${'1'}${GS}71010ABC`,
    );
    expect(result.ok && result.udi.elements.map((e) => e.ai)).toEqual([
      '01',
      '3103',
      '8013',
      '8007',
      '4321',
      '710',
    ]);
  });

  it('keeps duplicate AIs with equal values, with a warning', () => {
    const result = parse(`010950600013435210A${GS}10A`);
    expect(warningCodes(result)).toEqual([UdiIssueCode.GS1_DUPLICATE_AI]);
  });

  describe('dropped separators', () => {
    it('parses per the specification and warns where an AI sits inside a lot', () => {
      const scan = '01095060001343521012345A17251231';
      const result = parse(scan);
      expect(result.ok && result.udi.lotNumber).toBe('12345A17251231');
      expect(result.ok && result.warnings).toEqual([
        expect.objectContaining({
          code: UdiIssueCode.GS1_POSSIBLE_MISSING_SEPARATOR,
          position: scan.indexOf('17251231'),
        }),
      ]);
    });

    it('warns for a serial swallowed into a lot', () => {
      const result = parse('010950600013435210ABC21SER9');
      expect(warningCodes(result)).toEqual([UdiIssueCode.GS1_POSSIBLE_MISSING_SEPARATOR]);
    });

    it('does not warn when the AI-looking digits are not a valid element or the AI is present', () => {
      expect(warningCodes(parse('010950600013435210AB1799'))).toEqual([]);
      expect(warningCodes(parse('010950600013435210AB17251331'))).toEqual([]);
      expect(warningCodes(parse(`01095060001343521725123110AB17251231`))).toEqual([]);
      expect(warningCodes(parse(`010950600013435210LOT${GS}21X10Y`))).toEqual([]);
      expect(warningCodes(parse('010950600013435221SER90ABC'))).toEqual([]);
    });
  });

  describe('sad paths', () => {
    it.each([
      ['unknown AI', '0109506000134352230X', UdiIssueCode.GS1_UNKNOWN_AI, 16],
      ['AI cut off', '01095060001343528', UdiIssueCode.GS1_TRUNCATED_AI, 16],
      ['GTIN cut short', '010950600013435', UdiIssueCode.GS1_VALUE_TOO_SHORT, 2],
      [
        'GS inside a fixed-length value',
        `01095060001${GS}4352`,
        UdiIssueCode.GS1_VALUE_TOO_SHORT,
        11,
      ],
      ['empty lot', `0109506000134352${'10'}${GS}21X`, UdiIssueCode.GS1_VALUE_TOO_SHORT, 18],
      [
        'lot over 20 characters',
        '010950600013435210ABCDEFGHIJKLMNOPQRSTU',
        UdiIssueCode.GS1_VALUE_TOO_LONG,
        18,
      ],
      [
        'GSRN without separator before next AI',
        '80180000950600013435210X',
        UdiIssueCode.GS1_VALUE_TOO_LONG,
        4,
      ],
      ['space in a lot', '010950600013435210AB 1', UdiIssueCode.GS1_INVALID_CHARACTER, 20],
      ['letter in a GTIN', '010950600013435X', UdiIssueCode.GS1_INVALID_CHARACTER, 15],
      ['non-ASCII in a serial', '010950600013435221SÉR', UdiIssueCode.GS1_INVALID_CHARACTER, 19],
      ['wrong GTIN check digit', '0109506000134353', UdiIssueCode.GS1_INVALID_CHECK_DIGIT, 2],
      [
        'wrong GMN check pair',
        '010950600013435280131987654Ad4X4bL5ttr2310c2L',
        UdiIssueCode.GS1_INVALID_CHECK_DIGIT,
        20,
      ],
      ['month 13', '010950600013435217251301', UdiIssueCode.GS1_INVALID_DATE, 18],
      ['30 February', '010950600013435217250230', UdiIssueCode.GS1_INVALID_DATE, 18],
      [
        'day 00 where not allowed (AI 7006)',
        `01095060001343527006250100`,
        UdiIssueCode.GS1_INVALID_DATE,
        20,
      ],
      ['yes/no flag 2', '01095060001343524321' + '2', UdiIssueCode.GS1_INVALID_VALUE, 20],
      [
        'bad hour in AI 7011',
        '0109506000134352701125010125' + '00',
        UdiIssueCode.GS1_INVALID_VALUE,
        26,
      ],
    ])('%s', (_name, scan, code, position) => {
      const result = parse(scan);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.errors[0]).toEqual(expect.objectContaining({ code, position }));
    });

    it('reports every value error once the element boundaries are known', () => {
      expect(errorCodes(parse('010950600013435317251301'))).toEqual([
        UdiIssueCode.GS1_INVALID_CHECK_DIGIT,
        UdiIssueCode.GS1_INVALID_DATE,
      ]);
    });

    it('applies the pairing rules: a lot or expiry without a GTIN', () => {
      expect(errorCodes(parse('10LOT1'))).toEqual([
        UdiIssueCode.GS1_MISSING_REQUIRED_AI,
        UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER,
      ]);
      expect(errorCodes(parse('17251231'))).toContain(UdiIssueCode.GS1_MISSING_REQUIRED_AI);
      expect(errorCodes(parse(`0109506000134352250ABC`))).toEqual([
        UdiIssueCode.GS1_MISSING_REQUIRED_AI,
      ]);
    });

    it('rejects AI pairs that must not appear together and conflicting duplicates', () => {
      expect(errorCodes(parse('0109506000134352020950600013435237' + '5'))).toContain(
        UdiIssueCode.GS1_INVALID_AI_PAIR,
      );
      expect(errorCodes(parse(`010950600013435210A${GS}10B`))).toEqual([
        UdiIssueCode.GS1_CONFLICTING_DUPLICATE_AI,
      ]);
    });

    it('says a GSRN is a patient or service relation, not a device', () => {
      // GSRN (check digit computed) as carried on an NHS patient wristband (AI 8018).
      expect(errorCodes(parse('8018795260646700000015'))).toEqual([
        UdiIssueCode.GS1_PATIENT_IDENTIFIER,
      ]);
      expect(errorCodes(parse(`]d28018795260646700000015`))).toEqual([
        UdiIssueCode.GS1_PATIENT_IDENTIFIER,
      ]);
    });

    it('refuses an SSCC, which identifies a logistic unit', () => {
      expect(errorCodes(parse('00376104250021234569'))).toEqual([
        UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER,
      ]);
    });
  });
});

describe('GS1 human-readable (parenthesised) form', () => {
  it('reads AIs in parentheses with parentheses allowed inside values', () => {
    const result = parse('(01)09506000134352(17)251231(10)AB(C)1(21)X');
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: '09506000134352',
      expirationDate: '2025-12-31',
      lotNumber: 'AB(C)1',
      serialNumber: 'X',
    });
  });

  it('rejects text that is not an AI in parentheses and validates the values', () => {
    expect(errorCodes(parse('(01)09506000134352(99'))).toEqual([UdiIssueCode.GS1_VALUE_TOO_LONG]);
    expect(errorCodes(parse('(0109506000134352'))).toEqual([UdiIssueCode.GS1_HRI_SYNTAX]);
    expect(errorCodes(parse('(23)X'))).toEqual([UdiIssueCode.GS1_HRI_SYNTAX]);
    expect(errorCodes(parse('(01)09506000134353'))).toEqual([UdiIssueCode.GS1_INVALID_CHECK_DIGIT]);
  });
});

describe('EAN/UPC', () => {
  it('right-justifies EAN-13, UPC-A and EAN-8 to GTIN-14', () => {
    const ean13 = parse(']E06291041500213');
    expect(ean13.ok && ean13.udi.deviceIdentifier).toBe('06291041500213');
    const upcA = parse(']E0614141999996');
    expect(upcA.ok && upcA.udi.deviceIdentifier).toBe('00614141999996');
    const ean8 = parse(']E440170725');
    expect(ean8.ok && ean8.udi.deviceIdentifier).toBe('00000040170725');
  });

  it('rejects a wrong length or check digit and add-on symbologies', () => {
    expect(errorCodes(parse(']E06291041500214'))).toEqual([UdiIssueCode.GS1_EAN_UPC_INVALID]);
    expect(errorCodes(parse(']E46291041500213'))).toEqual([UdiIssueCode.GS1_EAN_UPC_INVALID]);
    expect(errorCodes(parse(']E31234'))).toEqual([UdiIssueCode.UNSUPPORTED_SYMBOLOGY]);
  });

  it('reads bare GTIN digits without AIs, with a warning to confirm', () => {
    const result = parse('6291041500213');
    expect(result.ok && result.udi.deviceIdentifier).toBe('06291041500213');
    expect(warningCodes(result)).toEqual([UdiIssueCode.GS1_BARE_GTIN_ASSUMED]);
    expect(errorCodes(parse('6291041500214'))).toEqual([UdiIssueCode.GS1_UNKNOWN_AI]);
  });
});
