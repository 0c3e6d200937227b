import { createImportRowParser } from './import-row.parser';

const GUDID_DEVICE_HEADER =
  'PrimaryDI|publicDeviceRecordKey|brandName|versionModelNumber|catalogNumber|companyName|deviceDescription|lotBatch|serialNumber|manufacturingDate|expirationDate|MRISafetyStatus|deviceCommDistributionStatus|implantable|gmdnCode';

function parserFor(header: string) {
  const result = createImportRowParser(header);
  if (!result.ok) throw new Error(result.reason);
  return result.parser;
}

describe('createImportRowParser', () => {
  it('recognises each format by its header, whatever the column order or a BOM', () => {
    expect(parserFor(GUDID_DEVICE_HEADER).format).toBe('gudid-device');
    expect(
      parserFor('\uFEFFPrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|pkgQuantity').format,
    ).toBe('gudid-identifiers');
    expect(parserFor('brand,manufacturer,deviceIdentifier').format).toBe('csv');
    expect(createImportRowParser('name;value')).toEqual({ ok: false, reason: expect.any(String) });
  });

  it('refuses a header that names a column twice, whatever the case', () => {
    expect(createImportRowParser('deviceIdentifier,manufacturer,brand,Brand')).toEqual({
      ok: false,
      reason: 'the header names "brand" more than once',
    });
    expect(createImportRowParser(`${GUDID_DEVICE_HEADER}|companyName`)).toEqual({
      ok: false,
      reason: 'the header names "companyname" more than once',
    });
  });

  it('reads a quote in a pipe-delimited GUDID field as text', () => {
    const parser = parserFor('PrimaryDI|brandName|companyName|deviceDescription');
    expect(parser.parse('05012345678900|Hip "Pro"|Acme|12" lead')).toMatchObject({
      kind: 'change',
      change: { draft: { brand: 'Hip "Pro"', description: '12" lead' } },
    });
  });

  it('reads a GUDID device row with its GUDID vocabulary', () => {
    const parser = parserFor(GUDID_DEVICE_HEADER);
    const row =
      '05012345678900|abc|Acme Hip|H-1|REF-1|Acme Orthopaedics|Hip stem|true|true|false|true|MR Conditional|In Commercial Distribution|true|35666';
    expect(parser.parse(row)).toEqual({
      kind: 'change',
      change: {
        kind: 'upsert',
        draft: {
          identifiers: [
            { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' },
          ],
          manufacturer: 'Acme Orthopaedics',
          brand: 'Acme Hip',
          model: 'H-1',
          catalogNumber: 'REF-1',
          description: 'Hip stem',
          gmdnCode: '35666',
          implantable: true,
          mriSafety: 'conditional',
          labelCarries: {
            lotNumber: true,
            serialNumber: true,
            expirationDate: true,
            manufactureDate: false,
          },
          status: 'on-market',
        },
      },
    });
  });

  it.each([
    [
      'a wrong check digit',
      '05012345678901|k|B|M|C|Co|D|true|true|true|true|MR Safe|In Commercial Distribution|true|1',
      /check digit/,
    ],
    [
      'an unknown MRI status',
      '05012345678900|k|B|M|C|Co|D|true|true|true|true|Sometimes|In Commercial Distribution|true|1',
      /MRISafetyStatus "Sometimes"/,
    ],
    [
      'a flag that is not boolean',
      '05012345678900|k|B|M|C|Co|D|maybe|true|true|true|MR Safe|In Commercial Distribution|true|1',
      /lotBatch/,
    ],
    [
      'a missing company',
      '05012345678900|k|B|M|C||D|true|true|true|true|MR Safe|In Commercial Distribution|true|1',
      /companyName is empty/,
    ],
    [
      'some label flags blank (never read as false)',
      '05012345678900|k|B|M|C|Co|D|true||true|true|MR Safe|In Commercial Distribution|true|1',
      /serialNumber empty: the label flags/,
    ],
    ['too few fields', '05012345678900|k|B', /has 3 fields, the header has 15/],
  ])('rejects a GUDID device row with %s', (_case, row, reason) => {
    expect(parserFor(GUDID_DEVICE_HEADER).parse(row)).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(reason),
    });
  });

  it('reads GUDID identifier rows and refuses agencies the platform does not carry', () => {
    const parser = parserFor(
      'PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|containsDINumber|pkgQuantity',
    );
    expect(parser.parse('5012345678900|15012345678907|Package|GS1||10')).toEqual({
      kind: 'change',
      change: {
        kind: 'add-identifiers',
        primaryDeviceIdentifier: '05012345678900',
        identifiers: [
          {
            deviceIdentifier: '15012345678907',
            issuingAgency: 'GS1',
            type: 'package',
            quantityPerPackage: 10,
          },
        ],
      },
    });
    expect(parser.parse('05012345678900|12345|Package|NDC/NHRIC||')).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(/NDC\/NHRIC/),
    });
    expect(parser.parse('05012345678900|15012345678907|Box|GS1||')).toEqual({
      kind: 'rejected',
      reason: expect.stringMatching(/deviceIdType "Box"/),
    });
    expect(parser.parse('')).toEqual({ kind: 'blank' });
  });

  it('reads a CSV row with quoted fields and other identifiers', () => {
    const parser = parserFor(
      'deviceIdentifier,manufacturer,brand,description,otherIdentifiers,mriSafety,implantable',
    );
    const result = parser.parse(
      '05012345678900,"Acme, Inc.","Hip ""Pro""",,package:15012345678907:10;previous:05012345678917,safe,yes',
    );
    expect(result).toMatchObject({
      kind: 'change',
      change: {
        draft: {
          manufacturer: 'Acme, Inc.',
          brand: 'Hip "Pro"',
          mriSafety: 'safe',
          implantable: true,
          identifiers: [
            { deviceIdentifier: '05012345678900', type: 'primary' },
            { deviceIdentifier: '15012345678907', type: 'package', quantityPerPackage: 10 },
            { deviceIdentifier: '05012345678917', type: 'previous' },
          ],
        },
      },
    });
  });

  it.each([
    ['an unclosed quote', '05012345678900,"Acme,Hip', /quoted field is not closed/],
    ['a quote inside an unquoted field', '05012345678900,Ac"me,Hip,,', /quote inside a field/],
    ['text after a closing quote', '05012345678900,"Acme"x,Hip,,', /after the closing quote/],
    ['a space before an opening quote', '05012345678900, "Acme",Hip,,', /quote inside a field/],
    ['a bad other identifier', '05012345678900,Acme,Hip,crate:1,', /unknown type/],
    [
      'a bad quantity',
      '05012345678900,Acme,Hip,package:15012345678907:0,',
      /positive whole number/,
    ],
    ['a bad MRI value', '05012345678900,Acme,Hip,,maybe', /mriSafety "maybe"/],
  ])('rejects a CSV row with %s', (_case, row, reason) => {
    const parser = parserFor('deviceIdentifier,manufacturer,brand,otherIdentifiers,mriSafety');
    expect(parser.parse(row)).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });
});
