import fc from 'fast-check';

import { validateCriteria } from './criteria-validation.util';
import { evaluateCriteria } from './recall-criteria.policy';
import type {
  CriteriaDevice,
  CriteriaOutcome,
  CriteriaSubject,
  RecallCriteria,
  UnknownField,
  UnknownReason,
} from './recall-criteria.types';

// Small value pools, so that generated criteria and implants often share values (and differ in
// case, spacing and leading zeros where the rules say that matters).
const IDENTIFIERS = ['05012345678900', '15012345678907', '+H123PROD1', 'A99912345678901X'];
const CATALOG_NUMBERS = ['REF-1', 'ref-1', ' REF-1 ', 'REF-2', 'REF-10'];
const MANUFACTURERS = ['Acme Ortho', 'ACME  ortho', 'Other Ltd'];
const MODELS = ['Hip 2', 'hip 2 ', 'Knee'];
const LOTS = ['L1', 'l1', 'L2', 'L10', '0042'];

const serial = fc.oneof(
  fc.tuple(fc.constantFrom('', '0', '00'), fc.nat(120)).map(([zeros, n]) => `${zeros}${n}`),
  fc.tuple(fc.constantFrom('A', 'B', 'a', 'SN'), fc.nat(120)).map(([prefix, n]) => `${prefix}${n}`),
);
const day = fc
  .integer({ min: 0, max: 90 })
  .map((offset) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10));

const someOf = <T>(values: readonly T[]): fc.Arbitrary<T[]> =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: values.length });

/** A reference comparison written from the rule's words, independently of the library's. */
function naiveSerialInRange(value: string, from: string, to: string): boolean {
  const digits = (text: string): boolean =>
    text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');
  if (digits(from) && digits(to)) {
    if (!digits(value)) return false;
    const strip = (text: string): string => text.replace(/^0+/, '') || '0';
    const [v, f, t] = [strip(value), strip(from), strip(to)];
    const width = Math.max(v.length, f.length, t.length);
    const [pv, pf, pt] = [v, f, t].map((text) => text.padStart(width, '0'));
    return pf! <= pv! && pv! <= pt!;
  }
  const key = (text: string): string => `${String(text.length).padStart(6, '0')}:${text}`;
  return key(from) <= key(value) && key(value) <= key(to);
}

const orderedRange = fc.tuple(serial, serial).map(([a, b]) => {
  const forward = { from: a, to: b };
  return validateCriteria({ catalogNumbers: ['x'], serialRanges: [forward] }).length === 0
    ? forward
    : { from: b, to: a };
});

const window = fc
  .tuple(fc.option(day, { nil: undefined }), fc.option(day, { nil: undefined }))
  .filter(([from, to]) => from !== undefined || to !== undefined)
  .map(([a, b]) =>
    a !== undefined && b !== undefined && a > b ? { from: b, to: a } : { from: a, to: b },
  )
  .map(({ from, to }) => ({
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  }));

const selectors = fc
  .record(
    {
      deviceIdentifiers: someOf(IDENTIFIERS),
      catalogNumbers: someOf(CATALOG_NUMBERS),
      manufacturer: fc.constantFrom(...MANUFACTURERS),
      models: someOf(MODELS),
    },
    { requiredKeys: [] },
  )
  .filter(
    (picked) =>
      picked.deviceIdentifiers !== undefined ||
      picked.catalogNumbers !== undefined ||
      (picked.manufacturer !== undefined && picked.models !== undefined),
  )
  .map((picked) =>
    picked.models !== undefined && picked.manufacturer === undefined
      ? { ...picked, manufacturer: MANUFACTURERS[0]! }
      : picked,
  );

const productionConstraints = fc.record(
  {
    lotNumbers: someOf(LOTS),
    serialNumbers: fc.uniqueArray(serial, { minLength: 1, maxLength: 4 }),
    serialRanges: fc.array(orderedRange, { minLength: 1, maxLength: 3 }),
    manufacturedBetween: window,
    expiresBetween: window,
  },
  { requiredKeys: [] },
);

const criteriaArb: fc.Arbitrary<RecallCriteria> = fc
  .tuple(selectors, productionConstraints)
  .map(([device, production]) => ({ ...device, ...production }));

const deviceArb: fc.Arbitrary<CriteriaDevice> = fc.oneof(
  fc.record(
    {
      inCatalogue: fc.constant(true as const),
      identifiers: someOf(IDENTIFIERS),
      catalogNumber: fc.constantFrom(...CATALOG_NUMBERS),
      manufacturer: fc.constantFrom(...MANUFACTURERS),
      model: fc.constantFrom(...MODELS),
    },
    { requiredKeys: ['inCatalogue', 'identifiers', 'manufacturer'] },
  ),
  fc.record({
    inCatalogue: fc.constant(false as const),
    identifiers: fc
      .constantFrom(...IDENTIFIERS, '05099999999990')
      .map((identifier) => [identifier]),
  }),
);

const subjectArb: fc.Arbitrary<CriteriaSubject> = fc.record(
  {
    device: deviceArb,
    status: fc.constantFrom('active', 'active', 'active', 'explanted', 'entered-in-error'),
    lotNumber: fc.constantFrom(...LOTS, ''),
    serialNumber: serial,
    manufactureDate: day,
    expirationDate: day,
    labelCarries: fc.record(
      {
        lotNumber: fc.boolean(),
        serialNumber: fc.boolean(),
        manufactureDate: fc.boolean(),
        expirationDate: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['device', 'status'] },
);

/** Mostly the values the criteria name (so that matches are common), sometimes any other. */
function near<T>(named: readonly T[] | undefined, other: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return named === undefined || named.length === 0
    ? other
    : fc.oneof(
        { arbitrary: fc.constantFrom(...named), weight: 4 },
        { arbitrary: other, weight: 1 },
      );
}

function subjectNear(criteria: RecallCriteria): fc.Arbitrary<CriteriaSubject> {
  const ends = (window: { from?: string; to?: string } | undefined): string[] =>
    [window?.from, window?.to].filter((end): end is string => end !== undefined);
  const rangeEnds = (criteria.serialRanges ?? []).flatMap((range) => [range.from, range.to]);
  const inCatalogue: fc.Arbitrary<CriteriaDevice> = fc.record(
    {
      inCatalogue: fc.constant(true as const),
      identifiers: fc.uniqueArray(
        near(criteria.deviceIdentifiers, fc.constantFrom(...IDENTIFIERS)),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      catalogNumber: near(criteria.catalogNumbers, fc.constantFrom(...CATALOG_NUMBERS)),
      manufacturer: near(
        criteria.manufacturer === undefined ? undefined : [criteria.manufacturer],
        fc.constantFrom(...MANUFACTURERS),
      ),
      model: near(criteria.models, fc.constantFrom(...MODELS)),
    },
    { requiredKeys: ['inCatalogue', 'identifiers', 'manufacturer'] },
  );
  return fc.record(
    {
      device: fc.oneof({ arbitrary: inCatalogue, weight: 4 }, { arbitrary: deviceArb, weight: 1 }),
      status: fc.constantFrom('active', 'active', 'active', 'explanted', 'entered-in-error'),
      lotNumber: near(criteria.lotNumbers, fc.constantFrom(...LOTS, '')),
      serialNumber: near([...(criteria.serialNumbers ?? []), ...rangeEnds], serial),
      manufactureDate: near(ends(criteria.manufacturedBetween), day),
      expirationDate: near(ends(criteria.expiresBetween), day),
      labelCarries: subjectArb.map((subject) => subject.labelCarries ?? {}),
    },
    { requiredKeys: ['device', 'status'] },
  );
}

const criteriaAndSubject = criteriaArb.chain((criteria) =>
  fc.tuple(fc.constant(criteria), fc.oneof(subjectNear(criteria), subjectArb)),
);

type Verdict = true | false | { field: UnknownField; reason: UnknownReason };

/**
 * The rules as API.md and issue 12 state them, one field at a time and as plainly as possible:
 * the library is checked against this on generated data.
 */
function naiveEvaluate(criteria: RecallCriteria, subject: CriteriaSubject): CriteriaOutcome {
  if (subject.status === 'explanted' || subject.status === 'entered-in-error') {
    return { kind: 'not-matched' };
  }
  const fold = (text: string): string => text.split(/\s+/).filter(Boolean).join(' ').toUpperCase();
  const device = subject.device;
  const verdicts: Verdict[] = [];

  if (criteria.deviceIdentifiers) {
    const listed = device.identifiers.some((i) => criteria.deviceIdentifiers!.includes(i));
    verdicts.push(
      listed
        ? true
        : device.inCatalogue
          ? false
          : { field: 'deviceIdentifier', reason: 'device-not-in-catalogue' },
    );
  }
  const attribute = (
    field: 'catalogNumber' | 'manufacturer' | 'model',
    wanted: string[],
  ): Verdict => {
    if (!device.inCatalogue) return { field, reason: 'device-not-in-catalogue' };
    const value = device[field];
    if (value === undefined || fold(value) === '') return { field, reason: 'not-in-device-record' };
    return wanted.some((w) => fold(w) === fold(value));
  };
  if (criteria.catalogNumbers) verdicts.push(attribute('catalogNumber', criteria.catalogNumbers));
  if (criteria.manufacturer !== undefined)
    verdicts.push(attribute('manufacturer', [criteria.manufacturer]));
  if (criteria.models) verdicts.push(attribute('model', criteria.models));

  const production = (
    field: 'lotNumber' | 'serialNumber' | 'manufactureDate' | 'expirationDate',
    test: (value: string) => boolean,
  ): Verdict => {
    const value = subject[field];
    if (value === undefined || value === '') {
      return {
        field,
        reason: subject.labelCarries?.[field] === false ? 'label-does-not-carry' : 'not-captured',
      };
    }
    return test(value);
  };
  if (criteria.lotNumbers)
    verdicts.push(production('lotNumber', (lot) => criteria.lotNumbers!.includes(lot)));
  if (criteria.serialNumbers || criteria.serialRanges) {
    verdicts.push(
      production(
        'serialNumber',
        (s) =>
          (criteria.serialNumbers ?? []).includes(s) ||
          (criteria.serialRanges ?? []).some((r) => naiveSerialInRange(s, r.from, r.to)),
      ),
    );
  }
  const inWindow = (w: { from?: string; to?: string }) => (d: string) =>
    !(w.from !== undefined && d < w.from) && !(w.to !== undefined && d > w.to);
  if (criteria.manufacturedBetween)
    verdicts.push(production('manufactureDate', inWindow(criteria.manufacturedBetween)));
  if (criteria.expiresBetween)
    verdicts.push(production('expirationDate', inWindow(criteria.expiresBetween)));

  if (verdicts.includes(false)) return { kind: 'not-matched' };
  const because = verdicts.filter((v): v is Exclude<Verdict, boolean> => typeof v === 'object');
  return because.length > 0 ? { kind: 'possible', because } : { kind: 'matched' };
}

const RANK = { 'not-matched': 0, possible: 1, matched: 2 } as const;
const rank = (outcome: CriteriaOutcome): number => RANK[outcome.kind];

const PRODUCTION_GROUPS = [
  ['lotNumbers'],
  ['serialNumbers', 'serialRanges'],
  ['manufacturedBetween'],
  ['expiresBetween'],
] as const;

function pick(criteria: RecallCriteria, keys: readonly string[]): RecallCriteria {
  return Object.fromEntries(Object.entries(criteria).filter(([key]) => keys.includes(key)));
}

describe('evaluateCriteria properties', () => {
  it('generates only valid criteria (so the properties below test evaluation, not refusal)', () => {
    fc.assert(
      fc.property(criteriaArb, (criteria) => expect(validateCriteria(criteria)).toEqual([])),
    );
  });

  it('agrees with a naive reference implementation on generated criteria and implants', () => {
    fc.assert(
      fc.property(criteriaAndSubject, ([criteria, subject]) => {
        expect(evaluateCriteria(criteria, subject)).toEqual(naiveEvaluate(criteria, subject));
      }),
      { numRuns: 10_000 },
    );
  });

  it('ORs the values within a field: a union of two lot lists matches what either matches', () => {
    fc.assert(
      fc.property(
        selectors,
        someOf(LOTS),
        someOf(LOTS),
        subjectArb,
        (device, lotsA, lotsB, subject) => {
          const union = [...new Set([...lotsA, ...lotsB])];
          const outcomeOf = (lotNumbers: string[]): number =>
            rank(evaluateCriteria({ ...device, lotNumbers }, subject));
          expect(outcomeOf(union)).toBe(Math.max(outcomeOf(lotsA), outcomeOf(lotsB)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('ORs a serial list with serial ranges, for the serial is one field', () => {
    fc.assert(
      fc.property(
        selectors,
        fc.uniqueArray(serial, { minLength: 1, maxLength: 4 }),
        fc.array(orderedRange, { minLength: 1, maxLength: 3 }),
        subjectArb,
        (device, serialNumbers, serialRanges, subject) => {
          const outcomeOf = (criteria: RecallCriteria): number =>
            rank(evaluateCriteria({ ...device, ...criteria }, subject));
          expect(outcomeOf({ serialNumbers, serialRanges })).toBe(
            Math.max(outcomeOf({ serialNumbers }), outcomeOf({ serialRanges })),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('ANDs the fields: criteria split into two halves match only what both halves match', () => {
    fc.assert(
      fc.property(
        criteriaArb,
        fc.array(fc.boolean(), {
          minLength: PRODUCTION_GROUPS.length,
          maxLength: PRODUCTION_GROUPS.length,
        }),
        subjectArb,
        (criteria, sides, subject) => {
          const selectorKeys = ['deviceIdentifiers', 'catalogNumbers', 'manufacturer', 'models'];
          const half = (side: boolean): RecallCriteria =>
            pick(criteria, [
              ...selectorKeys,
              ...PRODUCTION_GROUPS.filter((_, i) => sides[i] === side).flat(),
            ]);
          const whole = evaluateCriteria(criteria, subject);
          const [left, right] = [
            evaluateCriteria(half(true), subject),
            evaluateCriteria(half(false), subject),
          ];
          expect(rank(whole)).toBe(Math.min(rank(left), rank(right)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never turns a match into a miss when criteria are widened', () => {
    const union = <T>(values: T[] | undefined, extra: T[]): T[] | undefined =>
      values === undefined ? undefined : [...new Set([...values, ...extra])];
    const opened = (
      window: RecallCriteria['manufacturedBetween'],
      end: 'from' | 'to' | 'none',
    ): RecallCriteria['manufacturedBetween'] =>
      window === undefined || end === 'none' || window.from === undefined || window.to === undefined
        ? window
        : end === 'from'
          ? { to: window.to }
          : { from: window.from };
    const widened = fc
      .tuple(
        criteriaArb,
        fc.record({
          deviceIdentifiers: someOf(IDENTIFIERS),
          catalogNumbers: someOf(CATALOG_NUMBERS),
          models: someOf(MODELS),
          lotNumbers: someOf(LOTS),
          serialNumbers: fc.array(serial, { maxLength: 2 }),
          serialRanges: fc.array(orderedRange, { maxLength: 2 }),
        }),
        fc.constantFrom('from' as const, 'to' as const, 'none' as const),
        fc.subarray(PRODUCTION_GROUPS.map((group) => group as readonly string[])),
      )
      .map(([narrow, extra, openEnd, droppedGroups]) => {
        const dropped = droppedGroups.flat();
        const hasSerials = narrow.serialNumbers !== undefined || narrow.serialRanges !== undefined;
        const wide: RecallCriteria = {
          ...narrow,
          deviceIdentifiers: union(narrow.deviceIdentifiers, extra.deviceIdentifiers),
          catalogNumbers: union(narrow.catalogNumbers, extra.catalogNumbers),
          models: union(narrow.models, extra.models),
          lotNumbers: union(narrow.lotNumbers, extra.lotNumbers),
          serialNumbers: hasSerials
            ? [...new Set([...(narrow.serialNumbers ?? []), ...extra.serialNumbers])]
            : undefined,
          serialRanges: hasSerials
            ? [...(narrow.serialRanges ?? []), ...extra.serialRanges]
            : undefined,
          manufacturedBetween: opened(narrow.manufacturedBetween, openEnd),
          expiresBetween: opened(narrow.expiresBetween, openEnd),
        };
        const kept = Object.entries(wide).filter(
          ([key, value]) =>
            value !== undefined &&
            !dropped.includes(key) &&
            !(Array.isArray(value) && value.length === 0),
        );
        return { narrow, wide: Object.fromEntries(kept) as RecallCriteria };
      });
    fc.assert(
      fc.property(
        widened.chain((pair) => fc.tuple(fc.constant(pair), subjectNear(pair.narrow))),
        ([{ narrow, wide }, subject]) => {
          expect(validateCriteria(wide)).toEqual([]);
          expect(rank(evaluateCriteria(wide, subject))).toBeGreaterThanOrEqual(
            rank(evaluateCriteria(narrow, subject)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is possible only for a constrained field whose value is unknown, and never for a fully known implant', () => {
    const constrains: Record<UnknownField, (criteria: RecallCriteria) => boolean> = {
      deviceIdentifier: (c) => c.deviceIdentifiers !== undefined,
      catalogNumber: (c) => c.catalogNumbers !== undefined,
      manufacturer: (c) => c.manufacturer !== undefined,
      model: (c) => c.models !== undefined,
      lotNumber: (c) => c.lotNumbers !== undefined,
      serialNumber: (c) => c.serialNumbers !== undefined || c.serialRanges !== undefined,
      manufactureDate: (c) => c.manufacturedBetween !== undefined,
      expirationDate: (c) => c.expiresBetween !== undefined,
    };
    fc.assert(
      fc.property(criteriaAndSubject, ([criteria, subject]) => {
        const outcome = evaluateCriteria(criteria, subject);
        if (outcome.kind !== 'possible') return;
        for (const { field } of outcome.because) {
          expect(constrains[field](criteria)).toBe(true);
          const device = subject.device;
          const known =
            field === 'deviceIdentifier'
              ? device.inCatalogue
              : field === 'catalogNumber' || field === 'manufacturer' || field === 'model'
                ? device.inCatalogue && (device[field] ?? '').trim() !== ''
                : (subject[field] ?? '') !== '';
          expect(known).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
    const fullyKnown = subjectArb.filter(
      (s) =>
        s.device.inCatalogue &&
        s.device.catalogNumber !== undefined &&
        s.device.model !== undefined &&
        [s.lotNumber, s.serialNumber, s.manufactureDate, s.expirationDate].every(
          (v) => v !== undefined && v !== '',
        ),
    );
    fc.assert(
      fc.property(criteriaArb, fullyKnown, (criteria, subject) => {
        expect(evaluateCriteria(criteria, subject).kind).not.toBe('possible');
      }),
      { numRuns: 1000 },
    );
  });

  it('never matches an explanted or entered-in-error implant, whatever the criteria', () => {
    fc.assert(
      fc.property(
        criteriaArb,
        subjectArb,
        fc.constantFrom('explanted', 'entered-in-error' as const),
        (criteria, subject, status) => {
          expect(evaluateCriteria(criteria, { ...subject, status })).toEqual({
            kind: 'not-matched',
          });
        },
      ),
    );
  });
});
