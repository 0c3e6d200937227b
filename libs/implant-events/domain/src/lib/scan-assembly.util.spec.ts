import fc from 'fast-check';

import { gs1CheckDigit, mod43CheckCharacter } from '@implant-trace/udi';

import { assembleScan, ScanAssemblyCode } from './scan-assembly.util';

const gtinOf = (body13: string) => `${body13}${gs1CheckDigit(body13)}`;
const GTIN = gtinOf('0501234567890');
const OTHER_GTIN = gtinOf('0501234567891');
const GS = String.fromCharCode(29);
const hibcc = (data: string) => `${data}${mod43CheckCharacter(data, 0, data.length) ?? ''}`;

describe('assembleScan', () => {
  it('reads one barcode carrying the whole UDI, GS1 day 00 as the last day of the month', () => {
    const result = assembleScan([`(01)${GTIN}(17)280200(10)LOT1(21)S1`]);
    expect(result).toMatchObject({
      ok: true,
      udi: {
        deviceIdentifier: GTIN,
        lotNumber: 'LOT1',
        serialNumber: 'S1',
        expirationDate: '2028-02-29',
      },
      warnings: [],
    });
  });

  it('assembles a GTIN barcode and GS1 production-identifier barcodes, HRI and raw', () => {
    const result = assembleScan([`(17)281231(10)LOT1`, `]C101${GTIN}`, `]C121S9${GS}`]);
    expect(result).toMatchObject({
      ok: true,
      udi: {
        format: 'gs1',
        deviceIdentifier: GTIN,
        lotNumber: 'LOT1',
        serialNumber: 'S9',
        expirationDate: '2028-12-31',
      },
    });
    expect(result.ok && result.udi.elements.filter((e) => e.ai === '01')).toHaveLength(1);
  });

  it('assembles a HIBCC primary and its secondary', () => {
    const result = assembleScan([hibcc('+H123ABC01'), hibcc('+$$3281231LOT1')]);
    expect(result).toMatchObject({
      ok: true,
      udi: { issuingAgency: 'HIBCC', deviceIdentifier: 'H123ABC01', expirationDate: '2028-12-31' },
    });
  });

  it('refuses barcodes of two different devices', () => {
    expect(assembleScan([`(01)${GTIN}`, `(01)${OTHER_GTIN}(10)A`])).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: ScanAssemblyCode.DIFFERENT_DEVICES })],
    });
  });

  it('refuses two different values of one field', () => {
    expect(assembleScan([`(01)${GTIN}(10)A`, `(10)B`])).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: ScanAssemblyCode.CONFLICTING_VALUES,
          message: 'lotNumber is A on one barcode and B on another',
        }),
      ],
    });
  });

  it('accepts the same value twice', () => {
    expect(assembleScan([`(01)${GTIN}(10)A`, `(10)A(21)S1`])).toMatchObject({
      ok: true,
      udi: { lotNumber: 'A', serialNumber: 'S1' },
    });
  });

  it('refuses production identifiers with no device identifier', () => {
    expect(assembleScan([hibcc('+$$3281231LOT1')])).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: ScanAssemblyCode.NO_DEVICE_IDENTIFIER })],
    });
  });

  it('names the barcode of each parser error when several were scanned', () => {
    const result = assembleScan([`(01)${GTIN}`, 'not a barcode']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.barcode)).toEqual([1]);
  });

  it('does not read GS1 production identifiers behind another agency’s identifier', () => {
    const result = assembleScan([hibcc('+H123ABC01'), '(10)LOT1']);
    expect(result.ok).toBe(false);
  });
});

/** What a scan says about the unit, without the raw elements (whose order follows the scans). */
function fieldsOf(result: ReturnType<typeof assembleScan>) {
  if (!result.ok) return undefined;
  const { deviceIdentifier, lotNumber, serialNumber, expirationDate, manufactureDate } = result.udi;
  return { deviceIdentifier, lotNumber, serialNumber, expirationDate, manufactureDate };
}

describe('assembleScan (properties)', () => {
  const alphanumeric = fc.stringMatching(/^[A-Z0-9]{1,20}$/);
  const expiry = fc
    .record({ yy: fc.integer({ min: 20, max: 60 }), mm: fc.integer({ min: 1, max: 12 }) })
    .map(({ yy, mm }) => `${yy}${String(mm).padStart(2, '0')}00`);

  it('reads a label split over several barcodes as the same UDI as the label in one', () => {
    fc.assert(
      fc.property(alphanumeric, alphanumeric, expiry, (lot, serial, date) => {
        const whole = assembleScan([`(01)${GTIN}(17)${date}(10)${lot}(21)${serial}`]);
        const split = assembleScan([`(17)${date}(10)${lot}`, `(01)${GTIN}`, `(21)${serial}`]);
        expect(whole.ok && split.ok).toBe(true);
        expect(fieldsOf(split)).toEqual(fieldsOf(whole));
      }),
    );
  });
});
