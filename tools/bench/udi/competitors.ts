import { createRequire } from 'node:module';

/**
 * Adapters for the most-downloaded GS1 barcode parsers on npm, each reduced to what every UDI
 * reader needs: the GTIN, lot and serial it found. An adapter throws when the parser rejects the
 * input, as the parsers themselves do.
 */
export interface Extracted {
  gtin?: string;
  lot?: string;
  serial?: string;
  elementCount: number;
}

export interface Competitor {
  name: string;
  version: string;
  parse: (scan: string) => unknown;
  extract: (result: unknown) => Extracted;
}

const require = createRequire(import.meta.url);

function version(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

function fromPairs(pairs: readonly (readonly [string, unknown])[]): Extracted {
  const get = (ai: string): string | undefined => {
    const hit = pairs.find(([a]) => a === ai);
    return hit === undefined ? undefined : String(hit[1]);
  };
  return { gtin: get('01'), lot: get('10'), serial: get('21'), elementCount: pairs.length };
}

interface BarcodeParserResult {
  parsedCodeItems: { ai: string; data: unknown }[];
}
type BarcodeParser = (scan: string) => BarcodeParserResult;
const extractBarcodeParser = (r: unknown): Extracted =>
  fromPairs((r as BarcodeParserResult).parsedCodeItems.map((i) => [i.ai, i.data] as const));

const mod = require('gs1-barcode-parser-mod') as { parseBarcode: BarcodeParser };
const mod2 = require('gs1-barcode-parser-mod2') as { parseBarcode: BarcodeParser };

interface Gs1jsReader {
  getApplicationIdentifiers(): { identifier: string; value: string }[];
}
const gs1js = require('gs1js') as { GS1Reader: new (scan: string) => Gs1jsReader };

interface BarkResult {
  elements: { ai: string; value: unknown }[];
}
const bark = require('bark-js') as (scan: string) => BarkResult;

interface DigitalLinkInstance {
  getIdentifier(): Record<string, string>;
  getKeyQualifiers(): Record<string, string>;
  getAttributes(): Record<string, string>;
}
const { DigitalLink } = require('digital-link.js') as {
  DigitalLink: (uri: string) => DigitalLinkInstance;
};

export const COMPETITORS: readonly Competitor[] = [
  {
    name: 'gs1-barcode-parser-mod',
    version: version('gs1-barcode-parser-mod'),
    parse: (s) => mod.parseBarcode(s),
    extract: extractBarcodeParser,
  },
  {
    name: 'gs1-barcode-parser-mod2',
    version: version('gs1-barcode-parser-mod2'),
    parse: (s) => mod2.parseBarcode(s),
    extract: extractBarcodeParser,
  },
  {
    name: 'gs1js',
    version: version('gs1js'),
    parse: (s) => new gs1js.GS1Reader(s).getApplicationIdentifiers(),
    extract: (r) =>
      fromPairs(
        (r as { identifier: string; value: string }[]).map((i) => [i.identifier, i.value] as const),
      ),
  },
  {
    name: 'bark-js',
    version: version('bark-js'),
    parse: (s) => bark(s),
    extract: (r) => fromPairs((r as BarkResult).elements.map((e) => [e.ai, e.value] as const)),
  },
  {
    name: 'digital-link.js',
    version: version('digital-link.js'),
    parse: (s) => {
      const dl = DigitalLink(s);
      return { ...dl.getIdentifier(), ...dl.getKeyQualifiers(), ...dl.getAttributes() };
    },
    extract: (r) => fromPairs(Object.entries(r as Record<string, string>)),
  },
];
