import fc from 'fast-check';

import { gs1CheckDigit } from '@implant-trace/udi';

import type { NhsNumber } from '../nhs-number/nhs-number.util';
import { nhsNumberCheckDigit } from '../nhs-number/nhs-number.util';
import { TEST_NHS_NUMBER_CAPACITY, testNhsNumber } from '../nhs-number/nhs-number-test-data.util';
import { encodeWristbandGsrn, parseWristbandGsrn } from './wristband-gsrn.util';

const GS = '\u001d';
// A made-up prefix in the GS1 UK range (50...): not any real organisation's.
const PREFIX = '5000000';

function nhsFrom(firstNine: string): NhsNumber {
  return `${firstNine}${nhsNumberCheckDigit(firstNine)}` as NhsNumber;
}

const REAL_NHS = nhsFrom('401023213');
const TEST_NHS = testNhsNumber(42);
const GSRN = encodeWristbandGsrn(PREFIX, REAL_NHS);

/** An 18-digit string with a correct GS1 check digit around any 17 digits. */
function withGs1Check(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

describe('encodeWristbandGsrn', () => {
  it('lays out prefix, NHS number and GS1 check digit', () => {
    expect(GSRN).toBe(`${PREFIX}${REAL_NHS}${gs1CheckDigit(`${PREFIX}${REAL_NHS}`)}`);
    expect(GSRN).toHaveLength(18);
  });

  it.each(['500000', '50000000', '50000A0'])('refuses the prefix %p', (prefix) => {
    expect(() => encodeWristbandGsrn(prefix, REAL_NHS)).toThrow(RangeError);
  });
});

describe('parseWristbandGsrn', () => {
  const success = {
    ok: true,
    gsrn: GSRN,
    issuerPrefix: PREFIX,
    nhsNumber: REAL_NHS,
    isTestNumber: false,
  };

  it.each([
    ['the bare GSRN', GSRN],
    ['an element string', `8018${GSRN}`],
    ['the human-readable form', `(8018)${GSRN}`],
    ['GS1 DataMatrix with its symbology identifier', `]d28018${GSRN}`],
    ['GS1-128 with its symbology identifier', `]C18018${GSRN}`],
    ['GS1 QR Code with its symbology identifier', `]Q38018${GSRN}`],
    ['a leading GS for FNC1', `]d2${GS}8018${GSRN}`],
    ['a scanner suffix', `]d28018${GSRN}\r\n`],
    ['further elements after a GS', `]d28018${GSRN}${GS}91RXH${GS}93SMITH`],
    ['further elements in the human-readable form', `(8018)${GSRN}(91)RXH`],
  ])('reads %s', (_form, scan) => {
    expect(parseWristbandGsrn(scan)).toEqual(success);
  });

  it('reads an 18-digit GSRN that happens to start with 8018 as a bare GSRN', () => {
    const gsrn = encodeWristbandGsrn('8018000', REAL_NHS);
    expect(parseWristbandGsrn(gsrn)).toMatchObject({ ok: true, issuerPrefix: '8018000' });
  });

  it('flags a test NHS number', () => {
    expect(parseWristbandGsrn(encodeWristbandGsrn(PREFIX, TEST_NHS))).toMatchObject({
      ok: true,
      nhsNumber: TEST_NHS,
      isTestNumber: true,
    });
  });

  it.each([
    ['', 'empty'],
    [' \r\n', 'empty'],
    [`]d18018${GSRN}`, 'not-gs1'],
    [`]A0${GSRN}`, 'not-gs1'],
    [`(01)00614141999996`, 'not-gsrn'],
    [`]d2${GSRN}`, 'not-gsrn'],
    [`]d20100614141999996`, 'not-gsrn'],
    [GS, 'not-gsrn'],
    ['SMITH John', 'not-gsrn'],
    [`8018${GSRN.slice(0, 17)}X`, 'non-digit'],
    [`(8018)${GSRN.slice(0, 9)} ${GSRN.slice(9)}`, 'non-digit'],
    ['8018', 'wrong-length'],
    [`8018${GSRN.slice(0, 17)}`, 'wrong-length'],
    [`8018${GSRN}9`, 'wrong-length'],
    [GSRN.slice(0, 17), 'wrong-length'],
    [`${GSRN.slice(0, 17)}${(Number(GSRN[17]) + 1) % 10}`, 'check-digit'],
  ])('refuses %p with reason %s', (scan, reason) => {
    expect(parseWristbandGsrn(scan)).toMatchObject({ ok: false, reason });
  });

  it('refuses a prefix the deployment does not accept', () => {
    expect(parseWristbandGsrn(GSRN, { issuerPrefixes: ['5000001'] })).toMatchObject({
      ok: false,
      reason: 'unknown-prefix',
    });
    expect(parseWristbandGsrn(GSRN, { issuerPrefixes: ['5000001', PREFIX] }).ok).toBe(true);
  });

  it('refuses a GSRN whose embedded NHS number fails its own check digit', () => {
    const wrongNhs = `${REAL_NHS.slice(0, 9)}${(Number(REAL_NHS[9]) + 1) % 10}`;
    expect(parseWristbandGsrn(withGs1Check(`${PREFIX}${wrongNhs}`))).toMatchObject({
      ok: false,
      reason: 'nhs-number',
      nhsNumberReason: 'check-digit',
    });
  });

  it('applies the test-number policy to the embedded NHS number', () => {
    expect(
      parseWristbandGsrn(encodeWristbandGsrn(PREFIX, TEST_NHS), { testNumbers: 'refuse' }),
    ).toMatchObject({ ok: false, reason: 'nhs-number', nhsNumberReason: 'test-number-refused' });
    expect(parseWristbandGsrn(GSRN, { testNumbers: 'require' })).toMatchObject({
      ok: false,
      reason: 'nhs-number',
      nhsNumberReason: 'test-number-required',
    });
  });

  const prefix = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 })
    .map((d) => d.join(''));
  const nhs = fc.nat(TEST_NHS_NUMBER_CAPACITY - 1).map(testNhsNumber);

  it('reads back every GSRN it encodes, in every scanned form', () => {
    fc.assert(
      fc.property(prefix, nhs, (p, n) => {
        const gsrn = encodeWristbandGsrn(p, n);
        for (const scan of [gsrn, `8018${gsrn}`, `(8018)${gsrn}`, `]d2${GS}8018${gsrn}${GS}`]) {
          expect(parseWristbandGsrn(scan)).toEqual({
            ok: true,
            gsrn,
            issuerPrefix: p,
            nhsNumber: n,
            isTestNumber: true,
          });
        }
      }),
    );
  });

  it('refuses every single-digit change of a valid GSRN', () => {
    fc.assert(
      fc.property(prefix, nhs, fc.nat(17), fc.integer({ min: 1, max: 9 }), (p, n, at, shift) => {
        const gsrn = encodeWristbandGsrn(p, n);
        const typo = `${gsrn.slice(0, at)}${(Number(gsrn[at]) + shift) % 10}${gsrn.slice(at + 1)}`;
        expect(parseWristbandGsrn(typo)).toMatchObject({ ok: false, reason: 'check-digit' });
      }),
    );
  });

  it('never throws and returns a well-formed result for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (scan) => {
        const result = parseWristbandGsrn(scan);
        if (result.ok) {
          expect(result.gsrn).toMatch(/^\d{18}$/);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
