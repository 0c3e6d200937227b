import '../../index';
import type { EventDefinition } from '../event-catalogue';
import { EVENTS } from '../event-catalogue';
import { validateEventPayload } from '../event-validation';

const udi = { format: 'gs1', issuingAgency: 'GS1', deviceIdentifier: '05012345678900' };

interface Fixture {
  type: string;
  payload: Record<string, unknown>;
  /** The fields the contract names as failing for `payload`, each once. */
  failingFields: (payload: unknown) => string[];
}

function fixture<P extends object>(
  definition: EventDefinition<P>,
  payload: Record<string, unknown>,
): Fixture {
  return {
    type: definition.type,
    payload,
    failingFields: (candidate) => {
      const result = validateEventPayload(definition, candidate, 'publish');
      return result.ok ? [] : [...new Set(result.errors.map((error) => error.field))];
    },
  };
}

const VALID: Fixture[] = [
  fixture(EVENTS.deviceRegisteredV1, {
    deviceId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
    revision: 1,
    identifiers: [{ deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' }],
    manufacturer: 'Acme',
    brand: 'Hip',
    implantable: true,
    mriSafety: 'unknown',
    labelCarries: {
      lotNumber: true,
      serialNumber: false,
      expirationDate: true,
      manufactureDate: false,
    },
    status: 'on-market',
    updatedAt: '2026-11-25T08:00:00.000Z',
  }),
  fixture(EVENTS.implantRecordedV1, {
    implantId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
    hospitalOds: 'RXH01',
    patient: { nhsNumber: '9434765919' },
    udi,
    entryMethod: 'barcode',
    implantedAt: '2026-11-25T08:00:00.000Z',
    recordedBy: 'nurse-1',
    reviewFlags: [],
  }),
  fixture(EVENTS.recallIssuedV1, {
    recallId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
    title: 'Hip stems',
    reason: 'Fractures',
    class: 'I',
    criteria: { deviceIdentifiers: ['05012345678900'] },
    status: 'open',
    issuedAt: '2026-11-25T08:00:00.000Z',
  }),
  fixture(EVENTS.recallMatchFoundV1, {
    matchId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
    recallId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e20',
    implantId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e21',
    hospitalOds: 'RXH01',
    match: 'matched',
    patient: { nhsNumber: '9434765919' },
    udi,
    foundAt: '2026-11-25T08:00:00.000Z',
  }),
];

/** The fields of `payload` with `path` (dotted) replaced by `value`, or removed when undefined. */
function withField(payload: Record<string, unknown>, path: string, value: unknown) {
  const copy = structuredClone(payload);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node: Record<string, unknown> = copy;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return copy;
}

const of = (type: string) => {
  const entry = VALID.find((candidate) => candidate.type === type);
  if (entry === undefined) throw new Error(`no fixture for ${type}`);
  return entry;
};

describe('nested values of the contracts', () => {
  it.each(VALID.map((entry) => [entry.type, entry] as const))(
    '%s: the fixture is valid',
    (_type, { payload, failingFields }) => {
      expect(failingFields(payload)).toEqual([]);
    },
  );

  const REQUIRED: [string, string][] = [
    ['device.registered.v1', 'labelCarries'],
    ['implant.recorded.v1', 'patient'],
    ['implant.recorded.v1', 'udi'],
    ['recall.issued.v1', 'criteria'],
    ['recall.match.found.v1', 'patient'],
    ['recall.match.found.v1', 'udi'],
  ];
  const NOT_AN_OBJECT: [string, unknown][] = [
    ['absent', undefined],
    ['null', null],
    ['a string', 'all'],
    ['a number', 0],
    ['a boolean', true],
    ['an array', []],
  ];

  describe.each(REQUIRED)('%s requires %s', (type, field) => {
    it.each(NOT_AN_OBJECT)('refuses it %s, naming the field', (_case, value) => {
      const { payload, failingFields } = of(type);
      expect(failingFields(withField(payload, field, value))).toEqual([field]);
    });
  });

  it('names the missing fields of a nested object by path', () => {
    const { payload, failingFields } = of('device.registered.v1');
    expect(failingFields(withField(payload, 'labelCarries', { lotNumber: true }))).toEqual([
      'labelCarries.serialNumber',
      'labelCarries.expirationDate',
      'labelCarries.manufactureDate',
    ]);
  });

  it.each(NOT_AN_OBJECT.filter(([, value]) => value !== undefined && value !== null))(
    'refuses an identifier that is %s',
    (_case, value) => {
      const { payload, failingFields } = of('device.registered.v1');
      const identifiers = [...(payload['identifiers'] as unknown[]), value];
      const fields = failingFields(withField(payload, 'identifiers', identifiers));
      expect(fields).toContain('identifiers');
      expect(fields.every((field) => field.startsWith('identifiers'))).toBe(true);
    },
  );

  it('refuses an optional nested object or array element that is given but is not an object', () => {
    const recorded = of('implant.recorded.v1');
    expect(recorded.failingFields(withField(recorded.payload, 'procedure', []))).toEqual([
      'procedure',
    ]);
    const issued = of('recall.issued.v1');
    expect(
      issued
        .failingFields(
          withField(issued.payload, 'criteria', { manufacturedBetween: [], serialRanges: [[]] }),
        )
        .sort(),
    ).toEqual(['criteria.manufacturedBetween', 'criteria.serialRanges']);
    expect(recorded.failingFields(withField(recorded.payload, 'procedure', undefined))).toEqual([]);
  });

  it('refuses a patient with both an NHS number and the reason it is unavailable, checking the number', () => {
    const { payload, failingFields } = of('implant.recorded.v1');
    const unavailable = { reason: 'unconscious, no wristband', localPatientId: 'L-1' };
    expect(
      failingFields(
        withField(payload, 'patient', {
          nhsNumber: '9434765919',
          nhsNumberUnavailable: unavailable,
        }),
      ),
    ).toEqual(['patient.nhsNumber']);
    const result = validateEventPayload(
      EVENTS.implantRecordedV1,
      withField(payload, 'patient', { nhsNumber: 'garbage', nhsNumberUnavailable: unavailable }),
      'publish',
    );
    expect((result.ok ? [] : result.errors.map((error) => error.message)).sort()).toEqual([
      'give nhsNumber or nhsNumberUnavailable, not both',
      'nhsNumber must be a 10-digit NHS number',
    ]);
    expect(
      failingFields(withField(payload, 'patient', { nhsNumberUnavailable: unavailable })),
    ).toEqual([]);
  });

  it('refuses a patient whose only identity is an empty array in place of nhsNumberUnavailable', () => {
    const { payload, failingFields } = of('implant.recorded.v1');
    expect(failingFields(withField(payload, 'patient', { nhsNumberUnavailable: [] }))).toEqual([
      'patient.nhsNumberUnavailable',
    ]);
  });
});
