import { parseUdi } from '../parse-udi';
import { GS, TEST_CLOCK } from '../udi-test.util';
import type { Udi } from '../udi.types';
import { formatGs1DigitalLink } from './digital-link.formatter';
import { formatGs1ElementString } from './element-string.formatter';

function udiOf(scan: string): Udi {
  const result = parseUdi(scan, { clock: TEST_CLOCK });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.udi;
}

describe('formatGs1ElementString', () => {
  it('puts GS only after variable-length elements that are not last', () => {
    const udi = udiOf('(01)09506000134352(10)LOT1(17)251231(8018)795260646700000015(21)S1');
    expect(formatGs1ElementString(udi)).toBe(
      `010950600013435210LOT1${GS}17251231${'8018795260646700000015'}${GS}21S1`,
    );
  });

  it('encodes a Digital Link UDI too', () => {
    const udi = udiOf('https://id.gs1.org/01/09506000134352/10/L%2F1?17=251231');
    expect(formatGs1ElementString(udi)).toBe(`010950600013435210L/1${GS}17251231`);
  });

  it('refuses HIBCC and ISBT 128 UDIs, which have no GS1 encoding', () => {
    expect(() => formatGs1ElementString(udiOf('+A123BJC5D6E71G'))).toThrow(RangeError);
    expect(() => formatGs1DigitalLink(udiOf('=/A9997AB3456T0123'), 'https://id.gs1.org')).toThrow(
      RangeError,
    );
  });
});

describe('formatGs1DigitalLink', () => {
  it('puts key and qualifiers in the standard order in the path and other AIs in the query', () => {
    const udi = udiOf(`010950600013435217251231${'21S1'}${GS}10L/1&`);
    expect(formatGs1DigitalLink(udi, 'https://example.com/dl/')).toBe(
      'https://example.com/dl/01/09506000134352/10/L%2F1%26/21/S1?17=251231',
    );
  });

  it('refuses an AI that the Syntax Dictionary permits neither in the path nor as a data attribute', () => {
    const udi = udiOf(`010950600013435210L1${GS}80141987654Ad4X4bL5ttr2310c2K`);
    expect(() => formatGs1DigitalLink(udi, 'https://id.gs1.org')).toThrow(/AI \(8014\)/);
  });

  it('refuses a base URL that is not http(s) and a UDI without a primary key', () => {
    const udi = udiOf('0109506000134352');
    expect(() => formatGs1DigitalLink(udi, 'ftp://example.com')).toThrow(RangeError);
    expect(() => formatGs1DigitalLink(udi, 'https://exa mple.com')).toThrow(RangeError);
    expect(() => formatGs1DigitalLink({ ...udi, elements: [] }, 'https://example.com')).toThrow(
      RangeError,
    );
  });
});
