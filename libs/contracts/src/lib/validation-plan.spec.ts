import '../index';
import { IsDefined, IsString, ValidateNested } from 'class-validator';
import { Transform, Type } from 'class-transformer';

import type { EventDefinition } from './event-catalogue';
import { EVENTS } from './event-catalogue';
import { validateByClassValidator, validateEventPayload } from './event-validation';
import type { JsonSchema } from './json-schema.util';
import { eventJsonSchemas } from './json-schema.util';
import { ValidationPlan } from './validation-plan';

const UUIDS = [
  '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
  '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e20',
  '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e21',
];
const udi = {
  format: 'gs1',
  issuingAgency: 'GS1',
  deviceIdentifier: '00888888888888',
  lotNumber: 'L1',
  serialNumber: 'S1',
  expirationDate: '2030-01-31',
};
const device = {
  deviceId: UUIDS[0],
  revision: 2,
  identifiers: [
    { deviceIdentifier: '00888888888888', issuingAgency: 'GS1', type: 'primary' },
    {
      deviceIdentifier: '10888888888885',
      issuingAgency: 'GS1',
      type: 'package',
      quantityPerPackage: 10,
    },
  ],
  manufacturer: 'Acme Orthopaedics',
  brand: 'Acme Hip',
  model: 'AH-1',
  implantable: true,
  mriSafety: 'conditional',
  labelCarries: {
    lotNumber: true,
    serialNumber: true,
    expirationDate: true,
    manufactureDate: false,
  },
  status: 'on-market',
  updatedAt: '2026-11-25T08:00:00.000Z',
};
const recall = {
  recallId: UUIDS[1],
  title: 'Acme Hip cup wear',
  reason: 'Early wear of the liner',
  class: 'II',
  actionsUnderwayBy: '2026-12-10',
  criteria: {
    deviceIdentifiers: ['00888888888888'],
    lotNumbers: ['L1', 'L2'],
    serialRanges: [{ from: 'S1', to: 'S9' }],
    manufacturedBetween: { from: '2025-01-01', to: '2025-12-31' },
  },
  status: 'open',
  issuedAt: '2026-11-25T08:00:00.000Z',
};

type AnyEvent = (typeof EVENTS)[keyof typeof EVENTS];
/** The catalogue's definitions, each of its own payload type, as one type. */
const anyPayload = (definition: AnyEvent) => definition as unknown as EventDefinition;

/** A valid payload of every event type, and of each branch of the patient rule. */
const EXAMPLES: [AnyEvent, Record<string, unknown>][] = [
  [EVENTS.deviceRegisteredV1, device],
  [EVENTS.deviceUpdatedV1, { ...device, description: 'Cementless cup', gmdnCode: '35666' }],
  [
    EVENTS.implantRecordedV1,
    {
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      patient: { nhsNumber: '9434765919' },
      udi,
      deviceId: UUIDS[0],
      entryMethod: 'barcode',
      rawScan: '(01)00888888888888(10)L1(21)S1',
      procedure: { code: 'W371', description: 'Total hip replacement' },
      bodySite: 'hip',
      laterality: 'left',
      implantedAt: '2026-11-25T08:00:00.000Z',
      recordedBy: 'nurse-1',
      reviewFlags: ['duplicate-serial'],
    },
  ],
  [
    EVENTS.implantRecordedV1,
    {
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      patient: { nhsNumberUnavailable: { reason: 'unconscious', localPatientId: 'MRN-1' } },
      udi: { format: 'manual', issuingAgency: 'HIBCC', deviceIdentifier: 'H123' },
      entryMethod: 'manual',
      implantedAt: '2026-11-25',
      recordedBy: 'nurse-1',
      reviewFlags: ['manual-entry', 'nhs-number-unavailable'],
    },
  ],
  [
    EVENTS.implantExplantedV1,
    {
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      explantedAt: '2026-11-25T08:00:00.000Z',
      reason: 'pain',
      recordedBy: 'nurse-1',
    },
  ],
  [
    EVENTS.implantEnteredInErrorV1,
    {
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      reason: 'wrong patient',
      correctedAt: '2026-11-25T08:00:00.000Z',
      recordedBy: 'nurse-1',
    },
  ],
  [EVENTS.recallIssuedV1, recall],
  [EVENTS.recallUpdatedV1, { ...recall, updatedAt: '2026-11-26T08:00:00.000Z' }],
  [EVENTS.recallClosedV1, { recallId: UUIDS[1], closedAt: '2026-11-27T08:00:00.000Z' }],
  [
    EVENTS.recallMatchFoundV1,
    {
      matchId: UUIDS[0],
      recallId: UUIDS[1],
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      match: 'matched',
      patient: { nhsNumber: '9434765919' },
      udi,
      foundAt: '2026-11-25T08:00:00.000Z',
    },
  ],
  [
    EVENTS.recallMatchWithdrawnV1,
    {
      matchId: UUIDS[0],
      recallId: UUIDS[1],
      implantId: UUIDS[2],
      hospitalOds: 'RXH01',
      reason: 'explanted',
      withdrawnAt: '2026-11-25T08:00:00.000Z',
    },
  ],
  [
    EVENTS.recallFollowUpRecordedV1,
    {
      recallId: UUIDS[1],
      matchId: UUIDS[0],
      hospitalOds: 'RXH01',
      outcome: 'contacted',
      recordedAt: '2026-11-25T08:00:00.000Z',
      recordedBy: 'nurse-1',
    },
  ],
  [
    EVENTS.recallAcknowledgedV1,
    {
      recallId: UUIDS[1],
      hospitalOds: 'RXH01',
      stage: 'received',
      acknowledgedAt: '2026-11-25T08:00:00.000Z',
      acknowledgedBy: 'lead-1',
    },
  ],
];

/** Values a field is set to, one at a time: wrong types, edges of each rule, other fields' values. */
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  0,
  1,
  -1,
  1.5,
  true,
  false,
  '',
  ' ',
  'x',
  'x'.repeat(65),
  'x'.repeat(201),
  'x'.repeat(2001),
  'x'.repeat(5001),
  '9434765919',
  '943476591',
  'RXH01',
  'rxh01',
  '2026-11-25',
  '2026-11-25T08:00:00.000Z',
  '2026-11-25T08:00:00',
  '2026-13-01',
  UUIDS[0],
  'not-a-uuid',
  [],
  ['x'],
  [{}],
  [null],
  {},
  { a: 1 },
  { from: 'S1', to: 'S2' },
  { reason: 'r', localPatientId: 'l' },
  'GS1',
  'primary',
  'open',
  'matched',
  'duplicate-serial',
];

type Json = Record<string, unknown>;

/** Every payload one change away from `example`, following the contract's JSON Schema. */
function* mutants(example: unknown, schema: JsonSchema | undefined): Generator<unknown> {
  if (Array.isArray(example)) {
    for (const [index, item] of example.entries()) {
      for (const changed of mutants(item, schema?.items)) {
        yield example.map((original, i) => (i === index ? changed : original));
      }
    }
    for (const replacement of REPLACEMENTS) yield [...example, replacement];
    return;
  }
  if (typeof example !== 'object' || example === null) {
    yield* REPLACEMENTS;
    return;
  }
  const object = example as Json;
  const names = new Set([...Object.keys(object), ...Object.keys(schema?.properties ?? {})]);
  for (const name of names) {
    const { [name]: original, ...rest } = object;
    yield rest;
    const children =
      original === undefined ? REPLACEMENTS : mutants(original, schema?.properties?.[name]);
    for (const changed of children) yield { ...rest, [name]: changed };
  }
  yield { ...object, addedLater: 'x' };
}

const copy = <T>(value: T): T => structuredClone(value);

describe('ValidationPlan', () => {
  const schemas = eventJsonSchemas();

  it.each(Object.values(EVENTS).map((definition) => [definition.type, definition] as const))(
    'has a plan for %s, so its events skip class-transformer and class-validator when valid',
    (_type, definition) => {
      expect(ValidationPlan.whyNot(definition.payload)).toBeUndefined();
    },
  );

  it.each(EXAMPLES.map(([definition, example]) => [definition.type, definition, example] as const))(
    'accepts a valid %s as class-validator does',
    (_type, definition, example) => {
      expect(
        validateByClassValidator(anyPayload(definition), copy(example), 'publish'),
      ).toMatchObject({
        ok: true,
      });
      expect(ValidationPlan.of(definition.payload)?.accepts(copy(example))).toBe(true);
    },
  );

  it.each(EXAMPLES.map(([definition, example]) => [definition.type, definition, example] as const))(
    'agrees with class-validator on every payload one change away from a valid %s',
    (_type, definition, example) => {
      const plan = ValidationPlan.of(definition.payload);
      let refused = 0;
      for (const mutant of mutants(example, schemas[definition.type])) {
        const accepted = plan?.accepts(copy(mutant)) === true;
        const published = validateByClassValidator(
          anyPayload(definition),
          copy(mutant) as object,
          'publish',
        ).ok;
        expect({ mutant, accepted }).toEqual({ mutant, accepted: published });
        const consumed = validateByClassValidator(
          anyPayload(definition),
          copy(mutant) as object,
          'consume',
        );
        // Consumers drop fields added later: the plan leaves that to class-validator's copy.
        if (accepted) expect(consumed.ok).toBe(true);
        if (!accepted) refused += 1;
      }
      expect(refused).toBeGreaterThan(50);
    },
  );

  it('answers with class-validator whenever the plan does not accept, messages and all', () => {
    const [matchFound, example] = EXAMPLES[9] as [AnyEvent, Json];
    const definition = anyPayload(matchFound);
    const invalid = { ...example, patient: {} };
    expect(validateEventPayload(definition, invalid, 'publish')).toEqual(
      validateByClassValidator(definition, copy(invalid), 'publish'),
    );
    const withAddedField = { ...example, addedLater: 'x' };
    const consumed = validateEventPayload(definition, withAddedField, 'consume');
    expect(consumed.ok).toBe(true);
    if (consumed.ok) expect(consumed.payload).not.toHaveProperty('addedLater');
  });

  it('has no plan for a class using what it cannot reproduce exactly', () => {
    class Defined {
      @IsDefined()
      value?: string;
    }
    class Transformed {
      @Transform(({ value }: { value: unknown }) => String(value))
      @IsString()
      value!: string;
    }
    class Initialised {
      @IsString()
      value = 'default';
    }
    class NestedUntyped {
      @ValidateNested()
      inner!: object;
    }
    class TypedNotNested {
      @Type(() => Number)
      @IsString()
      value!: string;
    }
    expect(ValidationPlan.whyNot(Defined)).toMatch(/validation type/);
    expect(ValidationPlan.whyNot(Transformed)).toMatch(/@Transform/);
    expect(ValidationPlan.whyNot(Initialised)).toMatch(/initialiser/);
    expect(ValidationPlan.whyNot(NestedUntyped)).toMatch(/without @Type/);
    expect(ValidationPlan.whyNot(TypedNotNested)).toMatch(/@Type without @ValidateNested/);
  });
});
