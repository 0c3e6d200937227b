import { parseUdi } from '../parse-udi';
import { UdiIssueCode } from '../udi-issue-code';
import { TEST_CLOCK, errorCodes, warningCodes } from '../udi-test.util';

const parse = (scan: string) => parseUdi(scan, { clock: TEST_CLOCK });

describe('GS1 Digital Link URIs', () => {
  it('reads the key, path qualifiers and query-string AIs', () => {
    // GS1 Digital Link URI Syntax 1.x, section 4 style example on the GS1 resolver.
    const result = parse(
      'https://id.gs1.org/01/09506000134352/10/ABC1/21/12345?17=280430&linkType=gs1:pip',
    );
    expect(result).toEqual({
      ok: true,
      warnings: [],
      udi: {
        format: 'gs1-digital-link',
        issuingAgency: 'GS1',
        deviceIdentifier: '09506000134352',
        lotNumber: 'ABC1',
        serialNumber: '12345',
        expirationDate: '2028-04-30',
        elements: [
          { ai: '01', value: '09506000134352' },
          { ai: '10', value: 'ABC1' },
          { ai: '21', value: '12345' },
          { ai: '17', value: '280430' },
        ],
      },
    });
  });

  it('works on any domain, with a prefix path, upper-case scheme and host, and a fragment', () => {
    const result = parse('HTTPS://EXAMPLE.COM/products/x/01/09506000134352/21/S%2F1#top');
    expect(result.ok && result.udi).toMatchObject({
      deviceIdentifier: '09506000134352',
      serialNumber: 'S/1',
    });
    const plain = parse('http://example.org/01/09506000134352');
    expect(plain.ok && plain.udi.elements).toEqual([{ ai: '01', value: '09506000134352' }]);
  });

  it('widens GTIN-8, -12 and -13 in the path to GTIN-14', () => {
    const result = parse('https://id.gs1.org/01/6291041500213');
    expect(result.ok && result.udi.deviceIdentifier).toBe('06291041500213');
  });

  it('warns on qualifiers out of the order the standard sets', () => {
    const result = parse('https://id.gs1.org/01/09506000134352/21/S1/10/L1');
    expect(result.ok && result.udi).toMatchObject({ lotNumber: 'L1', serialNumber: 'S1' });
    expect(warningCodes(result)).toEqual([UdiIssueCode.GS1_DL_QUALIFIER_ORDER]);
  });

  it.each([
    ['no host', 'https:///01/09506000134352', UdiIssueCode.GS1_DL_INVALID_URI],
    ['no GS1 path', 'https://example.com/products/42?x=1', UdiIssueCode.GS1_DL_NO_PRIMARY_KEY],
    ['key without value', 'https://id.gs1.org/01', UdiIssueCode.GS1_DL_NO_PRIMARY_KEY],
    [
      'data attribute in the path',
      'https://id.gs1.org/01/09506000134352/17/251231',
      UdiIssueCode.GS1_DL_INVALID_PATH,
    ],
    [
      'bad percent-encoding',
      'https://id.gs1.org/01/09506000134352/10/A%2',
      UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING,
    ],
    [
      'bad GTIN check digit',
      'https://id.gs1.org/01/09506000134353',
      UdiIssueCode.GS1_INVALID_CHECK_DIGIT,
    ],
    [
      'bad date in the query',
      'https://id.gs1.org/01/09506000134352?17=251301',
      UdiIssueCode.GS1_INVALID_DATE,
    ],
    [
      'unknown numeric query AI',
      'https://id.gs1.org/01/09506000134352?230=1',
      UdiIssueCode.GS1_UNKNOWN_AI,
    ],
    [
      'decoded value outside set 82',
      'https://id.gs1.org/01/09506000134352/10/A%20B',
      UdiIssueCode.GS1_INVALID_CHARACTER,
    ],
    [
      'a wristband GSRN',
      'https://id.gs1.org/8018/795260646700000015',
      UdiIssueCode.GS1_PATIENT_IDENTIFIER,
    ],
    ['an SSCC', 'https://id.gs1.org/00/376104250021234569', UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER],
  ])('rejects %s', (_name, uri, code) => {
    expect(errorCodes(parse(uri))).toContain(code);
  });

  it('ignores non-AI query parameters and reports the position of a bad value', () => {
    const uri = 'https://id.gs1.org/01/09506000134352?linkType=all&17=251301';
    const result = parse(uri);
    expect(!result.ok && result.errors[0]?.position).toBe(uri.indexOf('251301'));
  });
});
