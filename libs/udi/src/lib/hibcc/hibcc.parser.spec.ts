import { mod43CheckCharacter } from '../check-digits.util';
import { parseUdi } from '../parse-udi';
import { hibccLinkMatches } from './hibcc.parser';
import { UdiIssueCode } from '../udi-issue-code';
import { errorCodes, warningCodes } from '../udi-test.util';

/** Appends the mod-43 check character, computed by the rule rather than copied from examples. */
function withCheck(data: string): string {
  return data + (mod43CheckCharacter(data, 0, data.length) ?? '?');
}

describe('HIBCC', () => {
  it('reads a primary symbol (HIBC Supplier Labeling Standard 2.6 example +A123BJC5D6E71G)', () => {
    expect(parseUdi('+A123BJC5D6E71G')).toEqual({
      ok: true,
      warnings: [],
      udi: {
        format: 'hibcc',
        issuingAgency: 'HIBCC',
        deviceIdentifier: 'A123BJC5D6E71',
        elements: [
          { ai: 'LIC', value: 'A123' },
          { ai: 'PCN', value: 'BJC5D6E7' },
          { ai: 'UOM', value: '1' },
          { ai: 'CHECK', value: 'G' },
        ],
      },
    });
  });

  it('reads the FDA concatenated example once its check character is corrected', () => {
    // FDA "UDI formats by issuing agency" prints this with check character C; the mod-43 rule gives A.
    const data = '+H123PART0011/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202';
    expect(errorCodes(parseUdi(`${data}C`))).toEqual([UdiIssueCode.HIBCC_INVALID_CHECK_CHARACTER]);
    const result = parseUdi(`${data}A`);
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: 'H123PART0011',
      expirationDate: '2020-02-02',
      lotNumber: 'LOT123456789012345',
      serialNumber: 'XYZ456789012345678',
      manufactureDate: '2013-02-02',
    });
  });

  it('reads a secondary symbol alone, without a device identifier, and keeps its link character', () => {
    // HIBC SLS 2.6 secondary "+$$52001510X3" with link character 3 (the primary's check character).
    const result = parseUdi(withCheck('+$$52001510X33'));
    expect(result.ok && result.udi).toEqual({
      format: 'hibcc',
      issuingAgency: 'HIBCC',
      expirationDate: '2020-01-15',
      lotNumber: '10X3',
      elements: [
        { ai: 'EXP', value: '20015' },
        { ai: 'LOT', value: '10X3' },
        { ai: 'LINK', value: '3' },
      ],
    });
  });

  it.each([
    ['Julian YYJJJ + lot', '+24060LOT1', { expirationDate: '2024-02-29', lotNumber: 'LOT1' }],
    ['$ lot only', '+$LOT1', { lotNumber: 'LOT1' }],
    ['$+ serial only', '+$+SER1', { serialNumber: 'SER1' }],
    ['$$ MMYY (flag 0)', '+$$0926LOT1', { expirationDate: '2026-09-30', lotNumber: 'LOT1' }],
    ['$$ MMYY (flag 1)', '+$$1226LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$2 MMDDYY', '+$$2123126LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$3 YYMMDD', '+$$3261231LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$4 YYMMDDHH', '+$$426123123LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$5 YYJJJ', '+$$526365LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$6 YYJJJHH', '+$$62636500LOT1', { expirationDate: '2026-12-31', lotNumber: 'LOT1' }],
    ['$$7 no date', '+$$7LOT1', { lotNumber: 'LOT1' }],
    [
      '$$8 quantity 2 + date',
      '+$$8053261231LOT1',
      { expirationDate: '2026-12-31', lotNumber: 'LOT1' },
    ],
    ['$$9 quantity 5, no date', '+$$900100LOT1', { lotNumber: 'LOT1' }],
    [
      '$$+ serial with date',
      '+$$+3261231SER1',
      { expirationDate: '2026-12-31', serialNumber: 'SER1' },
    ],
    [
      'lot then /S serial and /14D expiry',
      '+$LOT1/SSER1/14D20261231',
      { lotNumber: 'LOT1', serialNumber: 'SER1', expirationDate: '2026-12-31' },
    ],
  ])('reads secondary data: %s', (_name, data, fields) => {
    const result = parseUdi(withCheck(`${data}L`));
    expect(result.ok && result.udi).toMatchObject(fields);
    expect(result.ok && result.udi.deviceIdentifier).toBeUndefined();
  });

  it('reads concatenated primary and secondary data in one symbol', () => {
    const result = parseUdi(withCheck('+A99912345/$$52001510X3'));
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: 'A99912345',
      lotNumber: '10X3',
      expirationDate: '2020-01-15',
    });
  });

  it('accepts a check character that is a space, and the printed *...* form', () => {
    const data = '+A123XJC5D6E71';
    const check = mod43CheckCharacter(data, 0, data.length);
    expect(check).toBe(' ');
    expect(parseUdi(`${data} `).ok).toBe(true);
    expect(parseUdi(`${data} \r\n`).ok).toBe(true);
    expect(parseUdi('*+A123BJC5D6E71G*').ok).toBe(true);
  });

  it('warns about supplemental data it does not read', () => {
    const result = parseUdi(withCheck('+A99912345/$LOT1/7QX'));
    expect(warningCodes(result)).toEqual([UdiIssueCode.HIBCC_UNKNOWN_SUPPLEMENTAL_DATA]);
  });

  it.each([
    ['too short', '+A1', UdiIssueCode.HIBCC_TOO_SHORT],
    ['lower case', withCheck('+a123BJC5D6E71'), UdiIssueCode.HIBCC_INVALID_CHARACTER],
    ['wrong check character', '+A123BJC5D6E71H', UdiIssueCode.HIBCC_INVALID_CHECK_CHARACTER],
    ['LIC with a symbol', withCheck('+A-23BJC5D6E71'), UdiIssueCode.HIBCC_INVALID_LIC],
    [
      'product code over 18',
      withCheck('+A123' + 'X'.repeat(19) + '1'),
      UdiIssueCode.HIBCC_INVALID_PRODUCT_CODE,
    ],
    ['product code with a dot', withCheck('+A123AB.C1'), UdiIssueCode.HIBCC_INVALID_PRODUCT_CODE],
    [
      'unit of measure not a digit',
      withCheck('+A123BJC5D6E7X'),
      UdiIssueCode.HIBCC_INVALID_UNIT_OF_MEASURE,
    ],
    ['secondary flag unknown', withCheck('+$$ALOT1L'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    [
      'secondary starting with a letter after +$',
      withCheck('+A99912345/XLOT'),
      UdiIssueCode.HIBCC_INVALID_SECONDARY,
    ],
    ['empty secondary after /', withCheck('+A99912345/'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    ['lot over 18', withCheck('+$' + 'L'.repeat(19) + 'L'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    ['lot with %', withCheck('+$LO%T1L'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    ['$ without lot', withCheck('+$L'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    ['quantity not digits', withCheck('+$$8A5LOTL'), UdiIssueCode.HIBCC_INVALID_SECONDARY],
    ['Julian day 366 of 2025', withCheck('+25366LOTL'), UdiIssueCode.HIBCC_INVALID_DATE],
    ['month 13', withCheck('+$$3261331LOTL'), UdiIssueCode.HIBCC_INVALID_DATE],
    ['hour 24', withCheck('+$$426123124LOTL'), UdiIssueCode.HIBCC_INVALID_DATE],
    ['bad 16D date', withCheck('+$LOT/16D20260230L'), UdiIssueCode.HIBCC_INVALID_DATE],
  ])('rejects %s', (_name, scan, code) => {
    expect(errorCodes(parseUdi(scan))).toEqual([code]);
  });

  it('matches a separately scanned secondary to its primary by the link character', () => {
    const primary = parseUdi('+A123BJC5D6E71G');
    const linked = parseUdi(withCheck('+$$3261231LOT1G'));
    const other = parseUdi(withCheck('+$$3261231LOT1H'));
    expect(primary.ok && linked.ok && hibccLinkMatches(primary.udi, linked.udi)).toBe(true);
    expect(primary.ok && other.ok && hibccLinkMatches(primary.udi, other.udi)).toBe(false);
    expect(linked.ok && hibccLinkMatches(linked.udi, linked.udi)).toBe(false);
  });
});
