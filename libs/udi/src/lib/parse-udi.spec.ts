import { mod43CheckCharacter } from './check-digits.util';
import { MAX_SCAN_LENGTH, parseUdi } from './parse-udi';
import { UDI_WARNING_CODES, UdiIssueCode } from './udi-issue-code';
import { GS, TEST_CLOCK, errorCodes, warningCodes } from './udi-test.util';
import type { ParseUdiOptions } from './udi.types';

const options: ParseUdiOptions = { clock: TEST_CLOCK };

describe('parseUdi input handling', () => {
  it('strips one trailing CR, LF or CRLF scanner suffix, and nothing else', () => {
    for (const suffix of ['\r', '\n', '\r\n']) {
      const result = parseUdi(`010950600013435210LOT1${suffix}`, options);
      expect(result.ok && result.udi.lotNumber).toBe('LOT1');
    }
    expect(errorCodes(parseUdi('010950600013435210LOT1 ', options))).toEqual([
      UdiIssueCode.GS1_INVALID_CHARACTER,
    ]);
    expect(errorCodes(parseUdi(' 010950600013435210LOT1', options))).toEqual([
      UdiIssueCode.UNRECOGNISED_FORMAT,
    ]);
    expect(errorCodes(parseUdi('010950600013435210LOT1\n\n', options))).toEqual([
      UdiIssueCode.GS1_INVALID_CHARACTER,
    ]);
  });

  it('replaces configured GS aliases and reports positions in the original scan', () => {
    const scan = '010950600013435210LOT1{GS}21S 1';
    const result = parseUdi(scan, { ...options, gsAliases: ['{GS}'] });
    expect(!result.ok && result.errors[0]).toEqual(
      expect.objectContaining({
        code: UdiIssueCode.GS1_INVALID_CHARACTER,
        position: scan.indexOf(' '),
      }),
    );
    const ok = parseUdi(']d2010950600013435210LOT1^21S1', { gsAliases: ['^'] });
    expect(ok.ok && ok.udi).toMatchObject({ lotNumber: 'LOT1', serialNumber: 'S1' });
    const withoutAlias = parseUdi('010950600013435210LOT1^21S1');
    expect(errorCodes(withoutAlias)).toEqual([UdiIssueCode.GS1_INVALID_CHARACTER]);
    const noAliases = parseUdi(`010950600013435210LOT1${GS}21S1`, { gsAliases: [] });
    expect(noAliases.ok).toBe(true);
  });

  it('refuses aliases that would hide data characters', () => {
    expect(errorCodes(parseUdi('0109506000134352', { gsAliases: [''] }))).toEqual([
      UdiIssueCode.INVALID_OPTION,
    ]);
    expect(errorCodes(parseUdi('0109506000134352', { gsAliases: ['A'] }))).toEqual([
      UdiIssueCode.INVALID_OPTION,
    ]);
    const notArray = { gsAliases: '^' } as unknown as ParseUdiOptions;
    expect(errorCodes(parseUdi('0109506000134352', notArray))).toEqual([
      UdiIssueCode.INVALID_OPTION,
    ]);
  });

  it('refuses a clock that gives no valid date', () => {
    const broken = [
      { now: () => new Date('not a date') },
      { now: () => 'today' },
      { now: 'today' },
    ] as unknown as ParseUdiOptions['clock'][];
    for (const clock of broken) {
      expect(errorCodes(parseUdi('0109506000134352', { clock }))).toEqual([
        UdiIssueCode.INVALID_OPTION,
      ]);
    }
  });

  it('rejects empty input, symbology identifiers alone and non-strings', () => {
    expect(errorCodes(parseUdi(''))).toEqual([UdiIssueCode.EMPTY_INPUT]);
    expect(errorCodes(parseUdi('\r\n'))).toEqual([UdiIssueCode.EMPTY_INPUT]);
    expect(errorCodes(parseUdi(']d2'))).toEqual([UdiIssueCode.EMPTY_INPUT]);
    expect(errorCodes(parseUdi(undefined as unknown as string))).toEqual([
      UdiIssueCode.UNRECOGNISED_FORMAT,
    ]);
  });

  it('rejects input longer than any symbol before parsing it', () => {
    expect(errorCodes(parseUdi('0'.repeat(MAX_SCAN_LENGTH + 1)))).toEqual([
      UdiIssueCode.INPUT_TOO_LONG,
    ]);
    expect(errorCodes(parseUdi('x'.repeat(100_000)))).toEqual([UdiIssueCode.INPUT_TOO_LONG]);
  });

  it('tells GS1 data from other data by the symbology identifier', () => {
    expect(errorCodes(parseUdi(']d10109506000134352'))).toEqual([UdiIssueCode.NON_GS1_SYMBOLOGY]);
    expect(errorCodes(parseUdi(']C00109506000134352'))).toEqual([UdiIssueCode.NON_GS1_SYMBOLOGY]);
    const hibcc = parseUdi(']C0+A123BJC5D6E71G');
    expect(hibcc.ok && hibcc.udi.format).toBe('hibcc');
    const dl = parseUdi(']Q1https://id.gs1.org/01/09506000134352');
    expect(dl.ok && dl.udi.format).toBe('gs1-digital-link');
    expect(errorCodes(parseUdi(']d2+A123BJC5D6E71G'))).toEqual([UdiIssueCode.GS1_UNKNOWN_AI]);
  });

  it('rejects a patient wristband, random text and garbage with a reason', () => {
    expect(errorCodes(parseUdi(`]d2${'8018795260646700000015'}`))).toEqual([
      UdiIssueCode.GS1_PATIENT_IDENTIFIER,
    ]);
    expect(errorCodes(parseUdi('Hello, theatre 3'))).toEqual([UdiIssueCode.UNRECOGNISED_FORMAT]);
    // An NHS number reads as the internal AI 94, which identifies no device.
    expect(errorCodes(parseUdi('9434765919'))).toEqual([UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER]);
    expect(errorCodes(parseUdi('\u0000\u0001'))).toEqual([UdiIssueCode.UNRECOGNISED_FORMAT]);
  });

  it('reads today from the system clock when none is given', () => {
    const result = parseUdi('010950600013435217251231');
    expect(result.ok && result.udi.expirationDate).toBe('2025-12-31');
  });
});

/** One scan per code, each producing that code, so every documented code is known to occur. */
const HIBCC_OK = '+A123BJC5D6E71G';
const hibcc = (data: string): string => data + (mod43CheckCharacter(data, 0, data.length) ?? '');
const EXAMPLE_PER_CODE: Record<UdiIssueCode, string> = {
  EMPTY_INPUT: '',
  INPUT_TOO_LONG: '1'.repeat(MAX_SCAN_LENGTH + 1),
  INVALID_OPTION: 'gsAliases:',
  UNRECOGNISED_FORMAT: 'patient: SMITH, John',
  UNSUPPORTED_SYMBOLOGY: ']E312345',
  NON_GS1_SYMBOLOGY: ']d10109506000134352',
  GS1_UNKNOWN_AI: '0109506000134352230',
  GS1_TRUNCATED_AI: '01095060001343528',
  GS1_VALUE_TOO_SHORT: '010950600013435',
  GS1_VALUE_TOO_LONG: '010950600013435210ABCDEFGHIJKLMNOPQRSTU',
  GS1_INVALID_CHARACTER: '010950600013435210A B',
  GS1_INVALID_CHECK_DIGIT: '0109506000134353',
  GS1_INVALID_DATE: '010950600013435217251301',
  GS1_INVALID_VALUE: '010950600013435243212',
  GS1_MISSING_REQUIRED_AI: '10LOT',
  GS1_INVALID_AI_PAIR: '0109506000134352020950600013435237' + '5',
  GS1_CONFLICTING_DUPLICATE_AI: `010950600013435210A${GS}10B`,
  GS1_NO_DEVICE_IDENTIFIER: '00376104250021234569',
  GS1_PATIENT_IDENTIFIER: '8018795260646700000015',
  GS1_HRI_SYNTAX: '(XX)0109506000134352',
  GS1_EAN_UPC_INVALID: ']E0123',
  GS1_DUPLICATE_AI: `010950600013435210A${GS}10A`,
  GS1_POSSIBLE_MISSING_SEPARATOR: '010950600013435210LOT17251231',
  GS1_BARE_GTIN_ASSUMED: '6291041500213',
  GS1_DL_INVALID_URI: 'https://',
  GS1_DL_NO_PRIMARY_KEY: 'https://example.com/',
  GS1_DL_INVALID_PATH: 'https://example.com/01/09506000134352/17/251231',
  GS1_DL_INVALID_PERCENT_ENCODING: 'https://example.com/01/09506000134352/10/%zz',
  GS1_DL_QUALIFIER_ORDER: 'https://example.com/01/09506000134352/21/S/10/L',
  GS1_DL_DUPLICATE_AI: 'https://example.com/01/09506000134352/10/L?10=L',
  GS1_DL_EMPTY_PATH_SEGMENT: 'https://example.com/01/09506000134352/',
  GS1_DL_QUALIFIER_IN_QUERY: 'https://example.com/01/09506000134352?10=L',
  GS1_DL_NOT_DATA_ATTRIBUTE: 'https://example.com/01/09506000134352?8200=https%3A%2F%2Fx.test',
  GS1_DL_CONVENIENCE_ALPHA: 'https://example.com/gtin/09506000134352',
  GS1_DL_SHORT_NAME_IGNORED: 'https://example.com/01/09506000134352?exp=251231',
  HIBCC_TOO_SHORT: '+A1',
  HIBCC_INVALID_CHARACTER: '+A123bjc1X',
  HIBCC_INVALID_CHECK_CHARACTER: HIBCC_OK.slice(0, -1) + 'H',
  HIBCC_INVALID_LIC: hibcc('+A-23BJC5D6E71'),
  HIBCC_INVALID_PRODUCT_CODE: hibcc('+A1231'),
  HIBCC_INVALID_UNIT_OF_MEASURE: hibcc('+A123BJCX'),
  HIBCC_INVALID_SECONDARY: hibcc('+$$A1L'),
  HIBCC_INVALID_DATE: hibcc('+$$3269931LOTL'),
  HIBCC_UNKNOWN_SUPPLEMENTAL_DATA: hibcc('+A123BJC5D6E71/$LOT/9XY'),
  ISBT128_UNKNOWN_DATA_IDENTIFIER: '=~1234',
  ISBT128_TRUNCATED: '=/A9997',
  ISBT128_INVALID_CHARACTER: '=/A9997AB3456t0123',
  ISBT128_INVALID_DATE: '=/A9997AB3456T0123=>019000',
  ISBT128_COMPOUND_COUNT_MISMATCH: '=+02000=/A9997AB3456T0123',
  ISBT128_CONFLICTING_DUPLICATE: '=/A9997AB3456T0123=,000001=,000002',
  ISBT128_NO_DEVICE_IDENTIFIER: '=,000001',
  ISBT128_UNPAIRED_STRUCTURE: '&)RZ12345678',
  ISBT128_AMBIGUOUS_DEVICE_IDENTIFIER: '=/A9997AB3456T0123=)1TE123456A',
  ISBT128_MISSING_TRACEABILITY_PI: '=/A9997AB3456T0123',
};

describe('issue codes', () => {
  it.each(Object.entries(EXAMPLE_PER_CODE))('%s occurs', (code, scan) => {
    const result =
      code === UdiIssueCode.INVALID_OPTION
        ? parseUdi('0109506000134352', { gsAliases: ['1'] })
        : parseUdi(scan, options);
    const isWarning = UDI_WARNING_CODES.has(code as UdiIssueCode);
    expect(result.ok).toBe(isWarning);
    expect(isWarning ? warningCodes(result) : errorCodes(result)).toContain(code);
  });

  it('has an example for every code', () => {
    expect(Object.keys(EXAMPLE_PER_CODE).sort()).toEqual(Object.values(UdiIssueCode).sort());
  });
});
