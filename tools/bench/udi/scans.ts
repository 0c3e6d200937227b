/**
 * A realistic mixed set of theatre scans, generated from a fixed seed so every run measures the
 * same inputs: GS1 DataMatrix with and without symbology identifier and separators, the
 * parenthesised human-readable form, GS1 Digital Link URIs, and HIBCC primary, secondary and
 * concatenated symbols. Check digits and characters are computed, never copied.
 */
const GS = '\u001d';

export interface Scan {
  category: string;
  text: string;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20260615);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');
const two = (n: number): string => String(n).padStart(2, '0');
const ALNUM = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const alnum = (min: number, max: number): string =>
  Array.from({ length: int(min, max) }, () => pick([...ALNUM])).join('');

function gtin(): string {
  const body = `${pick(['0', '1', '0', '0'])}${pick(['50', '40', '03', '76', '88'])}${digits(10)}`;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + ((10 - (sum % 10)) % 10);
}

const yymmdd = (): string => `${two(int(25, 31))}${two(int(1, 12))}${two(int(1, 28))}`;

const HIBCC_SET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';
function hibccCheck(data: string): string {
  let sum = 0;
  for (const ch of data) sum += HIBCC_SET.indexOf(ch);
  return HIBCC_SET.charAt(sum % 43);
}

function gs1Scan(): Scan {
  const g = gtin();
  const exp = yymmdd();
  const lot = alnum(4, 10);
  const serial = alnum(6, 12);
  switch (int(0, 5)) {
    case 0:
      return {
        category: 'GS1 DataMatrix ]d2, GS separators',
        text: `]d201${g}17${exp}10${lot}${GS}21${serial}`,
      };
    case 1:
      return {
        category: 'GS1 no symbology id, GS separators',
        text: `01${g}11${yymmdd()}17${exp}21${serial}${GS}10${lot}`,
      };
    case 2:
      return {
        category: 'GS1 no symbology id, GS separators',
        text: `${GS}01${g}17${exp}10${lot}${GS}21${serial}\r\n`,
      };
    case 3:
      return {
        category: 'GS1 fixed-length only (no separator)',
        text: `01${g}11${yymmdd()}17${exp}`,
      };
    case 4:
      return { category: 'GS1 parenthesised', text: `(01)${g}(17)${exp}(10)${lot}(21)${serial}` };
    default:
      return {
        category: 'GS1 Digital Link',
        text: `https://${pick(['id.gs1.org', 'udi.example-med.com/r'])}/01/${g}/10/${lot}/21/${serial}?17=${exp}`,
      };
  }
}

function hibccScan(): Scan {
  const primary = `+${pick(['H', 'E', 'A'])}${alnum(3, 3)}${alnum(4, 12)}${int(0, 9)}`;
  const secondary = pick([
    `$$3${yymmdd()}${alnum(4, 10)}`,
    `$$+3${yymmdd()}${alnum(6, 12)}`,
    `$${alnum(4, 10)}`,
    `${two(int(25, 30))}${String(int(1, 365)).padStart(3, '0')}${alnum(3, 8)}`,
  ]);
  switch (int(0, 2)) {
    case 0:
      return { category: 'HIBCC', text: primary + hibccCheck(primary) };
    case 1: {
      const data = `${primary}/${secondary}`;
      return { category: 'HIBCC', text: data + hibccCheck(data) };
    }
    default: {
      const data = `+${secondary}${hibccCheck(primary)}`;
      return { category: 'HIBCC', text: data + hibccCheck(data) };
    }
  }
}

/**
 * 1,000 scans: five sixths GS1 in its transmitted forms, one sixth HIBCC. Each is decoded from
 * bytes, as a scan read from a device arrives, rather than left as the concatenation that built
 * it, whose characters take longer to reach.
 */
export const SCANS: readonly Scan[] = Array.from({ length: 1000 }, (_, i) => {
  const scan = i % 6 === 5 ? hibccScan() : gs1Scan();
  return { ...scan, text: Buffer.from(scan.text, 'utf8').toString('utf8') };
});
