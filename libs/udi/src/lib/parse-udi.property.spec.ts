import fc from 'fast-check';
import { gs1CheckDigit } from './check-digits.util';
import { formatGs1DigitalLink } from './gs1/digital-link.formatter';
import { formatGs1ElementString } from './gs1/element-string.formatter';
import { parseUdi } from './parse-udi';
import { UDI_WARNING_CODES, UdiIssueCode } from './udi-issue-code';
import { GS, TEST_CLOCK } from './udi-test.util';
import type { Udi, UdiElement, UdiIssue, UdiParseResult } from './udi.types';

const CODES: ReadonlySet<string> = new Set(Object.values(UdiIssueCode));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function expectWellFormedIssues(issues: readonly UdiIssue[], scanLength: number): void {
  for (const issue of issues) {
    expect(CODES.has(issue.code)).toBe(true);
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    if (issue.position !== undefined) {
      expect(Number.isInteger(issue.position)).toBe(true);
      expect(issue.position).toBeGreaterThanOrEqual(0);
      expect(issue.position).toBeLessThanOrEqual(scanLength);
    }
  }
}

function expectWellFormed(result: UdiParseResult, scan: string): void {
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expectWellFormedIssues(result.errors, scan.length);
    for (const e of result.errors)
      expect(UDI_WARNING_CODES.has(e.code as UdiIssueCode)).toBe(false);
    return;
  }
  expectWellFormedIssues(result.warnings, scan.length);
  for (const w of result.warnings) expect(UDI_WARNING_CODES.has(w.code as UdiIssueCode)).toBe(true);
  const { udi } = result;
  const agency = { gs1: 'GS1', 'gs1-digital-link': 'GS1', hibcc: 'HIBCC', iccbba: 'ICCBBA' }[
    udi.format
  ];
  expect(udi.issuingAgency).toBe(agency);
  if (udi.format !== 'hibcc') expect(typeof udi.deviceIdentifier).toBe('string');
  for (const date of [udi.expirationDate, udi.manufactureDate]) {
    if (date !== undefined) expect(date).toMatch(ISO_DATE);
  }
  expect(udi.elements.length).toBeGreaterThan(0);
  for (const e of udi.elements) {
    expect(typeof e.ai).toBe('string');
    expect(typeof e.value).toBe('string');
  }
}

/** Pieces of real scans, so random strings reach deep into every parser. */
const FRAGMENTS = [
  '01',
  '0109506000134352',
  '10',
  '11',
  '17',
  '21',
  '240',
  '7003',
  '8018',
  '8013',
  '3103',
  '00',
  '251231',
  '250200',
  'LOT',
  'A',
  '1',
  '9',
  GS,
  '(',
  ')',
  '(01)',
  '(10)',
  ']d2',
  ']C1',
  ']E0',
  ']Q1',
  '+',
  '$',
  '$$',
  '$$+',
  '/',
  '/S',
  '/16D',
  'A123',
  '=',
  '&',
  '=/',
  '=,',
  '=+',
  '&,1',
  '=>',
  'https://id.gs1.org',
  '/01/',
  '?',
  '&17=',
  '%',
  '%2F',
  '#',
  '\r',
  '\n',
  ' ',
  'é',
  '\u0000',
];
const scanLike = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('parseUdi properties', () => {
  it('never throws and returns a well-formed result for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 100 }),
          scanLike,
        ),
        fc.option(fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), { nil: undefined }),
        (scan, gsAliases) => {
          const result = parseUdi(scan, { clock: TEST_CLOCK, gsAliases });
          expectWellFormed(result, scan);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays well-formed for long inputs, up to and past the size limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 1000, maxLength: 9000 }),
          scanLike.map((s) => s.repeat(200)),
        ),
        (scan) => expectWellFormed(parseUdi(scan, { clock: TEST_CLOCK }), scan),
      ),
      { numRuns: 50 },
    );
  });
});

// ---- round trip: generated valid GS1 UDIs ----

const CSET82 =
  '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const cset82Value = (max: number) =>
  fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: max });

const gtin = fc
  .string({ unit: fc.constantFrom(...'0123456789'), minLength: 13, maxLength: 13 })
  .map((d) => d + gs1CheckDigit(d));

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date in the GS1 window around 2026 with its YYMMDD text and the ISO date it must give. */
const gs1Date = fc
  .record({
    year: fc.integer({ min: 1977, max: 2076 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 0, max: 31 }),
  })
  .filter(({ year, month, day }) => day <= lastDay(year, month))
  .map(({ year, month, day }) => {
    const two = (n: number) => String(n).padStart(2, '0');
    const isoDay = day === 0 ? lastDay(year, month) : day;
    return {
      text: two(year % 100) + two(month) + two(day),
      iso: `${year}-${two(month)}-${two(isoDay)}`,
    };
  });

interface Generated {
  gtin: string;
  lot?: string;
  serial?: string;
  expiry?: { text: string; iso: string };
  production?: { text: string; iso: string };
  extras: UdiElement[];
}

const generated: fc.Arbitrary<Generated> = fc.record(
  {
    gtin,
    lot: cset82Value(20),
    serial: cset82Value(20),
    expiry: gs1Date,
    production: gs1Date,
    extras: fc.subarray([
      { ai: '240', value: 'REF-42' },
      { ai: '30', value: '12' },
      { ai: '3103', value: '000125' },
      { ai: '8013', value: '1987654Ad4X4bL5ttr2310c2K' },
    ]),
  },
  { requiredKeys: ['gtin', 'extras'] },
);

function expectedUdi(g: Generated, format: Udi['format'], elements: UdiElement[]): Udi {
  const udi: Udi = { format, issuingAgency: 'GS1', deviceIdentifier: g.gtin, elements };
  if (g.lot !== undefined) udi.lotNumber = g.lot;
  if (g.serial !== undefined) udi.serialNumber = g.serial;
  if (g.expiry !== undefined) udi.expirationDate = g.expiry.iso;
  if (g.production !== undefined) udi.manufactureDate = g.production.iso;
  return udi;
}

function optionalElements(g: Generated): UdiElement[] {
  const out: UdiElement[] = [];
  if (g.lot !== undefined) out.push({ ai: '10', value: g.lot });
  if (g.serial !== undefined) out.push({ ai: '21', value: g.serial });
  if (g.expiry !== undefined) out.push({ ai: '17', value: g.expiry.text });
  if (g.production !== undefined) out.push({ ai: '11', value: g.production.text });
  return [...out, ...g.extras];
}

describe('format/parse round trip', () => {
  it('parse(formatGs1ElementString(u)) gives u back, for elements in any order', () => {
    fc.assert(
      fc.property(generated, fc.nat(), (g, seed) => {
        const rest = optionalElements(g);
        // A deterministic shuffle from the generated seed, so a failure reproduces.
        const order = rest
          .map((e, i) => ({ e, k: (seed * (i + 7919)) % 104729 }))
          .sort((a, b) => a.k - b.k);
        const udi = expectedUdi(g, 'gs1', [{ ai: '01', value: g.gtin }, ...order.map((o) => o.e)]);
        const result = parseUdi(formatGs1ElementString(udi), { clock: TEST_CLOCK });
        expect(result.ok && result.udi).toStrictEqual(udi);
      }),
      { numRuns: 1000 },
    );
  });

  it('parse(formatGs1DigitalLink(u)) gives u back', () => {
    fc.assert(
      fc.property(
        generated,
        fc.constantFrom('https://id.gs1.org', 'https://example.com/a/b/', 'http://x.test'),
        (g, base) => {
          const path = optionalElements(g).filter((e) => e.ai === '10' || e.ai === '21');
          const query = optionalElements(g).filter((e) => e.ai !== '10' && e.ai !== '21');
          const udi = expectedUdi(g, 'gs1-digital-link', [
            { ai: '01', value: g.gtin },
            ...path,
            ...query,
          ]);
          const result = parseUdi(formatGs1DigitalLink(udi, base), { clock: TEST_CLOCK });
          expect(result.ok && result.udi).toStrictEqual(udi);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a GS1 UDI also survives the trip through a Digital Link and back to an element string', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const udi = expectedUdi(g, 'gs1', [{ ai: '01', value: g.gtin }, ...optionalElements(g)]);
        const viaLink = parseUdi(formatGs1DigitalLink(udi, 'https://id.gs1.org'), {
          clock: TEST_CLOCK,
        });
        expect(viaLink.ok).toBe(true);
        if (!viaLink.ok) return;
        const back = parseUdi(formatGs1ElementString(viaLink.udi), { clock: TEST_CLOCK });
        expect(back.ok && { ...back.udi, elements: [] }).toStrictEqual({ ...udi, elements: [] });
      }),
      { numRuns: 300 },
    );
  });
});
