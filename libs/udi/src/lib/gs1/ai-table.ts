/**
 * The GS1 Application Identifier table (GS1 General Specifications section 3, as condensed by
 * the GS1 Barcode Syntax Dictionary). Each entry: AI, then its components separated by spaces.
 * A component is a character set (N digits, X set 82, Y set 39, Z set 64) and a length (`14`
 * fixed, `..20` up to 20), optionally in brackets when it may be left out, followed by the
 * checks that apply to it after commas. `n` in an AI stands for the decimal-point digit 0-9
 * (or the range given after `@`).
 */
const AI_SPECS: readonly string[] = [
  '00 N18,csum',
  '01 N14,csum',
  '02 N14,csum',
  '10 X..20',
  '11 N6,date0',
  '12 N6,date0',
  '13 N6,date0',
  '15 N6,date0',
  '16 N6,date0',
  '17 N6,date0',
  '20 N2',
  '21 X..20',
  '22 X..20',
  '235 X..28',
  '240 X..30',
  '241 X..30',
  '242 N..6',
  '243 X..20',
  '250 X..30',
  '251 X..30',
  '253 N13,csum [X..17]',
  '254 X..20',
  '255 N13,csum [N..12]',
  '30 N..8',
  '310n@0-5 N6',
  '311n@0-5 N6',
  '312n@0-5 N6',
  '313n@0-5 N6',
  '314n@0-5 N6',
  '315n@0-5 N6',
  '316n@0-5 N6',
  '320n@0-5 N6',
  '321n@0-5 N6',
  '322n@0-5 N6',
  '323n@0-5 N6',
  '324n@0-5 N6',
  '325n@0-5 N6',
  '326n@0-5 N6',
  '327n@0-5 N6',
  '328n@0-5 N6',
  '329n@0-5 N6',
  '330n@0-5 N6',
  '331n@0-5 N6',
  '332n@0-5 N6',
  '333n@0-5 N6',
  '334n@0-5 N6',
  '335n@0-5 N6',
  '336n@0-5 N6',
  '337n@0-5 N6',
  '340n@0-5 N6',
  '341n@0-5 N6',
  '342n@0-5 N6',
  '343n@0-5 N6',
  '344n@0-5 N6',
  '345n@0-5 N6',
  '346n@0-5 N6',
  '347n@0-5 N6',
  '348n@0-5 N6',
  '349n@0-5 N6',
  '350n@0-5 N6',
  '351n@0-5 N6',
  '352n@0-5 N6',
  '353n@0-5 N6',
  '354n@0-5 N6',
  '355n@0-5 N6',
  '356n@0-5 N6',
  '357n@0-5 N6',
  '360n@0-5 N6',
  '361n@0-5 N6',
  '362n@0-5 N6',
  '363n@0-5 N6',
  '364n@0-5 N6',
  '365n@0-5 N6',
  '366n@0-5 N6',
  '367n@0-5 N6',
  '368n@0-5 N6',
  '369n@0-5 N6',
  '37 N..8',
  '390n N..15',
  '391n N3 N..15',
  '392n N..15',
  '393n N3 N..15',
  '394n@0-3 N4',
  '395n@0-5 N6',
  '400 X..30',
  '401 X..30',
  '402 N17,csum',
  '403 X..30',
  '410 N13,csum',
  '411 N13,csum',
  '412 N13,csum',
  '413 N13,csum',
  '414 N13,csum',
  '415 N13,csum',
  '416 N13,csum',
  '417 N13,csum',
  '420 X..20',
  '421 N3 X..9',
  '422 N3',
  '423 N3 [N..12]',
  '424 N3',
  '425 N3 [N..12]',
  '426 N3',
  '427 X..3',
  '4300 X..35,pcenc',
  '4301 X..35,pcenc',
  '4302 X..70,pcenc',
  '4303 X..70,pcenc',
  '4304 X..70,pcenc',
  '4305 X..70,pcenc',
  '4306 X..70,pcenc',
  '4307 X2',
  '4308 X..30',
  '4309 N20',
  '4310 X..35,pcenc',
  '4311 X..35,pcenc',
  '4312 X..70,pcenc',
  '4313 X..70,pcenc',
  '4314 X..70,pcenc',
  '4315 X..70,pcenc',
  '4316 X..70,pcenc',
  '4317 X2',
  '4318 X..20',
  '4319 X..30',
  '4320 X..35,pcenc',
  '4321 N1,yesno',
  '4322 N1,yesno',
  '4323 N1,yesno',
  '4324 N10,datetime',
  '4325 N10,datetime',
  '4326 N6,date',
  '4330 N6 [X1,minus]',
  '4331 N6 [X1,minus]',
  '4332 N6 [X1,minus]',
  '4333 N6 [X1,minus]',
  '7001 N13',
  '7002 X..30',
  '7003 N10,datetime',
  '7004 N..4',
  '7005 X..12',
  '7006 N6,date',
  '7007 N6,date [N6,date]',
  '7008 X..3',
  '7009 X..10',
  '7010 X..2',
  '7011 N6,date [N4,hhmm]',
  '7020 X..20',
  '7021 X..20',
  '7022 X..20',
  '7023 X..30',
  '703n N3 X..27',
  '7040 N1 X1 X1 X1',
  '7041 X..4',
  '710 X..20',
  '711 X..20',
  '712 X..20',
  '713 X..20',
  '714 X..20',
  '715 X..20',
  '716 X..20',
  '723n X2 X..28',
  '7240 X..20',
  '7241 N2',
  '7242 X..25',
  '7250 N8,date8',
  '7251 N12,datetime12',
  '7252 N1',
  '7253 X..40',
  '7254 X..40',
  '7255 X..10',
  '7256 X..90',
  '7257 X..70',
  '7258 N1 X1 N1',
  '7259 X..40',
  '8001 N14',
  '8002 X..20',
  '8003 N1,zero N13,csum [X..16]',
  '8004 X..30',
  '8005 N6',
  '8006 N14,csum N2 N2',
  '8007 X..34,iban',
  '8008 N8,datehour [N..4]',
  '8009 X..50',
  '8010 Y..30',
  '8011 N..12',
  '8012 X..20',
  '8013 X..25,csumalpha',
  '8014 X..25,csumalpha',
  '8017 N18,csum',
  '8018 N18,csum',
  '8019 N..10',
  '8020 X..25',
  '8026 N14,csum N2 N2',
  '8030 Z..90',
  '8110 X..70',
  '8111 N4',
  '8112 X..70',
  '8200 X..70',
  '90 X..30',
  '91 X..90',
  '92 X..90',
  '93 X..90',
  '94 X..90',
  '95 X..90',
  '96 X..90',
  '97 X..90',
  '98 X..90',
  '99 X..90',
];

export type AiCharset = 'N' | 'X' | 'Y' | 'Z';
export type AiCheck =
  | 'csum'
  | 'csumalpha'
  | 'date'
  | 'date0'
  | 'date8'
  | 'datehour'
  | 'datetime'
  | 'datetime12'
  | 'hhmm'
  | 'iban'
  | 'minus'
  | 'pcenc'
  | 'yesno'
  | 'zero';

export interface AiComponent {
  charset: AiCharset;
  minLength: number;
  maxLength: number;
  optional: boolean;
  checks: readonly AiCheck[];
}

export interface AiDefinition {
  ai: string;
  /** Index of the AI in `ALL_AI_DEFINITIONS`, for per-AI lookup tables kept by the parsers. */
  ordinal: number;
  /** Whether the AI is in the predefined-length table, so it never needs a GS after it. */
  predefinedLength: boolean;
  minLength: number;
  maxLength: number;
  /** True when every character of the value is a digit, so one charset pass suffices. */
  numericOnly: boolean;
  components: readonly AiComponent[];
}

/** GS1 General Specifications figure 7.8.5-2: element strings (AI included) of predefined length, by the AI's first two digits. */
const PREDEFINED_LENGTH_PREFIXES: readonly string[] = [
  '00',
  '01',
  '02',
  '03',
  '04',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '41',
];

/** The checks in a fixed order; `AiComponent.checks` holds these literals themselves. */
export const AI_CHECKS: readonly AiCheck[] = [
  'csum',
  'csumalpha',
  'date',
  'date0',
  'date8',
  'datehour',
  'datetime',
  'datetime12',
  'hhmm',
  'iban',
  'minus',
  'pcenc',
  'yesno',
  'zero',
];

function parseComponent(text: string): AiComponent {
  const optional = text.startsWith('[');
  const [format = '', ...checks] = (optional ? text.slice(1, -1) : text).split(',');
  const charset = format.charAt(0) as AiCharset;
  const variable = format.startsWith('..', 1);
  const max = Number(format.slice(variable ? 3 : 1));
  return {
    charset,
    minLength: variable ? 1 : max,
    maxLength: max,
    optional,
    // The table's own literals, not the split-off copies, so comparisons stay cheap.
    checks: checks.map((name) => {
      const check = AI_CHECKS.find((c) => c === name);
      if (check === undefined) throw new Error(`AI table: unknown check ${name}`);
      return check;
    }),
  };
}

function define(ai: string, componentTexts: string[]): AiDefinition {
  const components = componentTexts.map(parseComponent);
  let minLength = 0;
  let maxLength = 0;
  for (const c of components) {
    if (!c.optional) minLength += c.minLength;
    maxLength += c.maxLength;
  }
  return {
    ai,
    ordinal: -1,
    predefinedLength: PREDEFINED_LENGTH_PREFIXES.includes(ai.slice(0, 2)),
    minLength,
    maxLength,
    numericOnly: components.every((c) => c.charset === 'N'),
    components,
  };
}

/** Definitions indexed by the AI's numeric value, one array per AI length (2, 3 or 4 digits). */
const BY_LENGTH: readonly (AiDefinition | undefined)[][] = [
  [],
  [],
  new Array<AiDefinition | undefined>(100),
  new Array<AiDefinition | undefined>(1000),
  new Array<AiDefinition | undefined>(10000),
];
/** AI length (2-4) for each two-digit prefix, 0 when no AI starts with it. */
const AI_LENGTH_BY_PREFIX = new Uint8Array(100);
const ALL: AiDefinition[] = [];

function register(def: AiDefinition): void {
  const prefix = Number(def.ai.slice(0, 2));
  const known = AI_LENGTH_BY_PREFIX[prefix] ?? 0;
  if (known !== 0 && known !== def.ai.length) {
    throw new Error(`AI table: prefix ${prefix} has AIs of different lengths`);
  }
  AI_LENGTH_BY_PREFIX[prefix] = def.ai.length;
  const table = BY_LENGTH[def.ai.length];
  if (table === undefined || table[Number(def.ai)] !== undefined) {
    throw new Error(`AI table: ${def.ai} is malformed or defined twice`);
  }
  table[Number(def.ai)] = def;
  def.ordinal = ALL.length;
  ALL.push(def);
}

for (const spec of AI_SPECS) {
  const [aiPattern = '', ...components] = spec.split(' ');
  const [ai, range] = aiPattern.split('@');
  if (ai === undefined || !ai.endsWith('n')) {
    register(define(aiPattern, components));
    continue;
  }
  const [from, to] = range === undefined ? [0, 9] : range.split('-').map(Number);
  for (let n = from ?? 0; n <= (to ?? 9); n++) register(define(ai.slice(0, -1) + n, components));
}

export const ALL_AI_DEFINITIONS: readonly AiDefinition[] = ALL;

/** `lookupAi` result when the digits name no AI. */
export const AI_UNKNOWN = 1;
/** `lookupAi` result when the data ends inside an AI. */
export const AI_TRUNCATED = 2;
export type AiLookupFailure = typeof AI_UNKNOWN | typeof AI_TRUNCATED;

/**
 * The AI starting at `s[i]` (reading no further than `end`), or a failure: `AI_UNKNOWN` when the
 * digits name no AI, `AI_TRUNCATED` when the data ends inside an AI.
 */
export function lookupAi(s: string, i: number, end: number): AiDefinition | AiLookupFailure {
  if (i + 2 > end) return AI_TRUNCATED;
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return AI_UNKNOWN;
  const length = AI_LENGTH_BY_PREFIX[a * 10 + b] ?? 0;
  if (length === 0) return AI_UNKNOWN;
  if (i + length > end) return AI_TRUNCATED;
  let n = a * 10 + b;
  for (let k = i + 2; k < i + length; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return AI_UNKNOWN;
    n = n * 10 + d;
  }
  return BY_LENGTH[length]?.[n] ?? AI_UNKNOWN;
}

/** The definition of an AI given as a string, e.g. `'17'`. */
export function aiDefinition(ai: string): AiDefinition | undefined {
  const found = lookupAi(ai, 0, ai.length);
  return typeof found === 'object' && found.ai.length === ai.length ? found : undefined;
}
