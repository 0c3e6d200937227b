import { parseUdi } from '../parse-udi';
import { UDI_WARNING_CODES, UdiIssueCode } from '../udi-issue-code';
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

  it('takes the last primary key of the path, so an AI-like prefix path is the resolver’s own', () => {
    const result = parse('https://a.test/01/faux/01/12312312312333/21/S1');
    expect(result.ok && result.udi.elements).toEqual([
      { ai: '01', value: '12312312312333' },
      { ai: '21', value: 'S1' },
    ]);
  });

  it('widens a GTIN-8, -12 or -13 in the query string, as the engine does, but not in the path', () => {
    const query = parse('https://example.com/8004/9520614141234567?01=9520123456788');
    expect(query.ok && query.udi.deviceIdentifier).toBe('09520123456788');
    expect(errorCodes(parse('https://id.gs1.org/01/6291041500213'))).toEqual([
      UdiIssueCode.GS1_VALUE_TOO_SHORT,
    ]);
  });

  it('reports the position of a bad value and of a + in the query string', () => {
    const uri = 'https://id.gs1.org/01/09506000134352?linkType=all&17=251301';
    const result = parse(uri);
    expect(!result.ok && result.errors[0]?.position).toBe(uri.indexOf('251301'));
    const plus = 'https://id.gs1.org/01/09506000134352?99=A+B';
    const spaced = parse(plus);
    expect(!spaced.ok && spaced.errors[0]).toMatchObject({
      code: UdiIssueCode.GS1_INVALID_CHARACTER,
      position: plus.indexOf('+'),
    });
  });

  it('names the short name it does not read, so the user confirms that value from the label', () => {
    const result = parse('https://id.gs1.org/01/09506000134352/10/L1?exp=280430');
    expect(result.ok && result.udi.expirationDate).toBeUndefined();
    expect(!result.ok || result.warnings[0]?.message).toContain('AI (17)');
  });
});

/** Where each rule comes from. */
const ENGINE = 'GS1 Syntax Engine dl.c gs1_parseDLuri';
const DLPKEY_01 = 'Syntax Dictionary 01 dlpkey=22,10,21|235';
const DATA_ATTRIBUTE = 'Syntax Dictionary flag ? (permitted as a DL data attribute)';
const DEVIATION = 'stricter than the engine: RFC 3986 section 2.1 pct-encoded';

const G = '12312312312333';
const A = 'https://a';

/**
 * The conformance table: one URI per rule, with the verdict of the GS1 Barcode Syntax Engine
 * (its `test_dl_parseDLuri` vectors and the rules of `gs1_parseDLuri`) and of the GS1 Barcode
 * Syntax Dictionary the engine loads. `accepted` means parseUdi gives a UDI; a GS1 key that is
 * not a device (SSCC, GLN, GSRN) is accepted Digital Link syntax that parseUdi still refuses
 * with its own code. A warning code means accepted with that warning.
 */
const CONFORMANCE: readonly (readonly [string, 'accepted' | UdiIssueCode, string])[] = [
  // Scheme, host and the characters of a URI.
  [`http://a/01/${G}`, 'accepted', `${ENGINE}: http`],
  [`HTTP://a/01/${G}`, 'accepted', `${ENGINE}: HTTP`],
  [`HTTPS://a/01/${G}`, 'accepted', `${ENGINE}: HTTPS`],
  [`HtTp://a/01/${G}`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: mixed-case scheme`],
  [`https:///01/${G}`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: no domain`],
  [A, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: no path info`],
  [`${A}/`, UdiIssueCode.GS1_DL_NO_PRIMARY_KEY, `${ENGINE}: domain but no AI`],
  [`${A}/b`, UdiIssueCode.GS1_DL_NO_PRIMARY_KEY, `${ENGINE}: path without AI`],
  [`https://a:65535/01/${G}`, 'accepted', `${ENGINE}: port`],
  [`https://192.0.2.1/01/${G}`, 'accepted', `${ENGINE}: IPv4 host`],
  [`https://[2001:db8::1]/01/${G}`, 'accepted', `${ENGINE}: IPv6 host`],
  [`https://[fe80::1%25lo]/01/${G}`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: zone id`],
  [`https://$a/01/${G}`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: bad domain character`],
  [`https://user@a/01/${G}`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: user information`],
  [`${A}/01/${G}/10/A B`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: URI characters`],
  [`${A}/01/${G}/10/A"B`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: URI characters`],
  [`${A}/01/${G}/10/A\u00e9B`, UdiIssueCode.GS1_DL_INVALID_URI, `${ENGINE}: URI characters`],
  // The resolver's own path before the primary key.
  [`${A}/stem/01/${G}`, 'accepted', `${ENGINE}: custom stem`],
  [`${A}/more/stem/01/${G}`, 'accepted', `${ENGINE}: custom stem`],
  [`${A}/00/faux/01/${G}`, 'accepted', `${ENGINE}: fake AI in stem, rightmost key`],
  [`${A}//01/${G}`, 'accepted', `${ENGINE}: an empty stem segment is the resolver's`],
  // The GTIN.
  [`${A}/01/2112345678900`, UdiIssueCode.GS1_VALUE_TOO_SHORT, `${ENGINE}: GTIN-13 in the path`],
  [`${A}/01/416000336108`, UdiIssueCode.GS1_VALUE_TOO_SHORT, `${ENGINE}: GTIN-12 in the path`],
  [`${A}/01/02345673`, UdiIssueCode.GS1_VALUE_TOO_SHORT, `${ENGINE}: GTIN-8 in the path`],
  [`${A}/01/12312312312334`, UdiIssueCode.GS1_INVALID_CHECK_DIGIT, 'Syntax Dictionary 01 csum'],
  [`${A}/01/0950600013435A`, UdiIssueCode.GS1_INVALID_CHARACTER, 'Syntax Dictionary 01 N14'],
  // Key qualifiers: in the path, in the dlpkey order, each once, one alternative.
  [`${A}/01/${G}/22/TEST/10/ABC/21/XYZ`, 'accepted', DLPKEY_01],
  [`${A}/01/${G}/10/ABC/21/XYZ`, 'accepted', DLPKEY_01],
  [`${A}/01/${G}/22/TEST/21/XYZ`, 'accepted', DLPKEY_01],
  [`${A}/01/${G}/235/TEST`, 'accepted', `${DLPKEY_01}: alternative 235`],
  [`${A}/01/${G}/21/S/10/L`, UdiIssueCode.GS1_DL_QUALIFIER_ORDER, `${DLPKEY_01}: order`],
  [`${A}/01/${G}/10/L/22/V`, UdiIssueCode.GS1_DL_QUALIFIER_ORDER, `${DLPKEY_01}: order`],
  [`${A}/01/${G}/10/A/10/B`, UdiIssueCode.GS1_DL_DUPLICATE_AI, `${DLPKEY_01}: each once`],
  [`${A}/01/${G}/10/A/10/A`, UdiIssueCode.GS1_DL_DUPLICATE_AI, `${DLPKEY_01}: even the same`],
  [`${A}/01/${G}/22/V/235/T`, UdiIssueCode.GS1_DL_INVALID_PATH, `${DLPKEY_01}: don't mix`],
  [`${A}/01/${G}/235/T/21/S`, UdiIssueCode.GS1_DL_INVALID_PATH, `${DLPKEY_01}: don't mix`],
  [`${A}/01/${G}/17/251231`, UdiIssueCode.GS1_DL_INVALID_PATH, `${ENGINE}: attribute in path`],
  [`${A}/01/${G}/89/ABC?99=XYZ`, UdiIssueCode.GS1_DL_NO_PRIMARY_KEY, `${ENGINE}: unknown AI`],
  [`${A}/8018/123456789012345675/8019/123`, UdiIssueCode.GS1_PATIENT_IDENTIFIER, ENGINE],
  [`${A}/414/9520123456788/254/32a%2Fb`, UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER, ENGINE],
  [`${A}/8004/9520614141234567?01=9520123456788`, 'accepted', `${ENGINE}: GTIN as attribute`],
  // Empty segments and a trailing slash.
  [`${A}/stem/01/${G}/`, UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT, `${ENGINE}: ends in slash`],
  [`${A}/01/${G}/10/`, UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT, `${ENGINE}: empty value`],
  [`${A}/01/${G}//21/S`, UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT, `${ENGINE}: empty segment`],
  [`${A}/01//${G}`, UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT, `${ENGINE}: empty segment`],
  // The query string: data attributes.
  [`${A}/01/${G}?`, 'accepted', `${ENGINE}: empty query`],
  [`${A}/01/${G}?99=ABC&98=XYZ`, 'accepted', ENGINE],
  [`${A}/01/${G}?&&&99=ABC&&&&&&98=XYZ&&&`, 'accepted', `${ENGINE}: extra separators`],
  [`${A}/01/${G}?singleton&99=ABC&unknown=666`, 'accepted', `${ENGINE}: non-AI parameters`],
  [`${A}/01/${G}?linkType=gs1:pip`, 'accepted', `${ENGINE}: non-AI parameters`],
  [`${A}/01/${G}?99=`, UdiIssueCode.GS1_VALUE_TOO_SHORT, `${ENGINE}: empty AI value`],
  [`${A}/01/${G}?99=ABC&999=faux`, UdiIssueCode.GS1_UNKNOWN_AI, `${ENGINE}: numeric non-AI`],
  [`${A}/01/${G}?99=XYZ&89=ABC123`, UdiIssueCode.GS1_UNKNOWN_AI, `${ENGINE}: unknown AI`],
  [`${A}/01/${G}?=ABC`, UdiIssueCode.GS1_UNKNOWN_AI, `${ENGINE}: a name of no digits`],
  [`${A}/01/${G}/22/ABC%2d123?98=XYZ%2f987`, 'accepted', `${ENGINE}: percent-escaped values`],
  [`${A}/01/${G}/22/ABC+123`, 'accepted', `${ENGINE}: + is + in the path`],
  [`${A}/01/${G}?98=XYZ+987`, UdiIssueCode.GS1_INVALID_CHARACTER, `${ENGINE}: + is a space`],
  [`${A}/01/${G}?10=ABC123`, UdiIssueCode.GS1_DL_QUALIFIER_IN_QUERY, `${ENGINE}: belongs in path`],
  [`${A}/01/${G}?21=S`, UdiIssueCode.GS1_DL_QUALIFIER_IN_QUERY, `${ENGINE}: belongs in path`],
  [`${A}/01/${G}/21/S?10=L`, UdiIssueCode.GS1_DL_QUALIFIER_IN_QUERY, `${ENGINE}: before 21`],
  [`${A}/01/${G}/235/XYZ?10=ABC123`, 'accepted', `${ENGINE}: alternate qualifier chosen`],
  [`${A}/01/${G}/235/T?21=S`, UdiIssueCode.GS1_DL_NOT_DATA_ATTRIBUTE, DATA_ATTRIBUTE],
  [
    `${A}/01/${G}?8014=1987654Ad4X4bL5ttr2310c2K`,
    UdiIssueCode.GS1_DL_NOT_DATA_ATTRIBUTE,
    DATA_ATTRIBUTE,
  ],
  [`${A}/01/${G}/10/A?99=X&01=${G}`, UdiIssueCode.GS1_DL_DUPLICATE_AI, `${ENGINE}: duplicate`],
  [`${A}/01/${G}/10/A?99=X&10=A`, UdiIssueCode.GS1_DL_DUPLICATE_AI, `${ENGINE}: duplicate`],
  [`${A}/01/${G}/10/A?99=X&99=X`, UdiIssueCode.GS1_DL_DUPLICATE_AI, `${ENGINE}: duplicate`],
  [`${A}/01/${G}?17=280430#fragment`, 'accepted', `${ENGINE}: fragment ignored`],
  [`${A}/01/${G}#?17=999999`, 'accepted', `${ENGINE}: query inside the fragment ignored`],
  // Percent-encoding.
  [`${A}/01/${G}/21/a%2fb`, 'accepted', `${ENGINE}: lower-case hex`],
  [`${A}/01/${G}/10/A%00B`, UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING, `${ENGINE}: NUL`],
  [`${A}/01/${G}/10/A%20B`, UdiIssueCode.GS1_INVALID_CHARACTER, 'Syntax Dictionary 10 X..20'],
  [`${A}/01/${G}/10/A%2`, UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING, DEVIATION],
  [`${A}/01/${G}?99=A%zz`, UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING, DEVIATION],
  // Convenience alphas (short names), deprecated by URI syntax 1.2 and off in the engine.
  [`${A}/gtin/${G}`, UdiIssueCode.GS1_DL_CONVENIENCE_ALPHA, `${ENGINE}: alphas off by default`],
  [`${A}/01/${G}/ser/ABC123`, UdiIssueCode.GS1_DL_CONVENIENCE_ALPHA, `${ENGINE}: alphas off`],
  [`${A}/01/${G}?exp=280430`, UdiIssueCode.GS1_DL_SHORT_NAME_IGNORED, `${ENGINE}: not read`],
];

describe('GS1 Digital Link conformance table (GS1 Syntax Engine, URI syntax 1.4/1.5)', () => {
  it.each(CONFORMANCE)('%s is %s (%s)', (uri, verdict, _rule) => {
    const result = parse(uri);
    if (verdict === 'accepted') {
      expect(errorCodes(result)).toEqual([]);
      expect(warningCodes(result)).toEqual([]);
    } else if (UDI_WARNING_CODES.has(verdict)) {
      expect(warningCodes(result)).toContain(verdict);
    } else {
      expect(result.ok).toBe(false);
      expect(errorCodes(result)).toContain(verdict);
    }
  });
});
