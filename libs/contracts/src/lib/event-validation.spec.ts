import '../index';
import { EVENTS, eventDefinitionOf, eventTypesOnTopic } from './event-catalogue';
import { validateEventPayload } from './event-validation';

const explanted = {
  implantId: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
  hospitalOds: 'RXH01',
  explantedAt: '2026-11-25T08:00:00.000Z',
  recordedBy: 'nurse-1',
};

describe('the event catalogue', () => {
  it('names every event of the architecture, version 1', () => {
    expect(Object.values(EVENTS).map((d) => d.type)).toEqual([
      'device.registered.v1',
      'device.updated.v1',
      'implant.recorded.v1',
      'implant.explanted.v1',
      'implant.entered-in-error.v1',
      'recall.issued.v1',
      'recall.updated.v1',
      'recall.closed.v1',
      'recall.match.found.v1',
      'recall.match.withdrawn.v1',
      'recall.follow-up.recorded.v1',
      'recall.acknowledged.v1',
    ]);
  });

  it('keeps all events of one aggregate on one topic', () => {
    expect(eventTypesOnTopic('implant-events.implants.v1')).toEqual([
      'implant.recorded.v1',
      'implant.explanted.v1',
      'implant.entered-in-error.v1',
    ]);
  });

  it('does not know unknown types or versions', () => {
    expect(eventDefinitionOf('implant.recorded.v2')).toBeUndefined();
    expect(eventDefinitionOf('implant.recorded.v1')).toBe(EVENTS.implantRecordedV1);
  });
});

describe('validateEventPayload', () => {
  it('accepts a valid payload', () => {
    const result = validateEventPayload(EVENTS.implantExplantedV1, explanted, 'publish');
    expect(result.ok).toBe(true);
  });

  it('names every failing field, nested ones by path', () => {
    const result = validateEventPayload(
      EVENTS.implantRecordedV1,
      {
        implantId: 'not-a-uuid',
        hospitalOds: 'rxh01',
        patient: { nhsNumber: '12345' },
        udi: { format: 'gs1', issuingAgency: 'GS1' },
        entryMethod: 'barcode',
        implantedAt: 'yesterday',
        recordedBy: 'nurse-1',
        reviewFlags: ['nope'],
      },
      'publish',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...new Set(result.errors.map((e) => e.field))].sort()).toEqual([
      'hospitalOds',
      'implantId',
      'implantedAt',
      'patient.nhsNumber',
      'reviewFlags',
      'udi.deviceIdentifier',
    ]);
  });

  it('refuses unknown fields when publishing but drops them when consuming', () => {
    const withExtra = { ...explanted, addedLater: 'x' };
    const published = validateEventPayload(EVENTS.implantExplantedV1, withExtra, 'publish');
    expect(published.ok).toBe(false);
    const consumed = validateEventPayload(EVENTS.implantExplantedV1, withExtra, 'consume');
    expect(consumed.ok).toBe(true);
    expect(consumed.ok && 'addedLater' in consumed.payload).toBe(false);
  });

  it.each([[null], [[1, 2]], ['text'], [42]])('refuses a non-object payload %p', (data) => {
    expect(validateEventPayload(EVENTS.implantExplantedV1, data, 'consume')).toEqual({
      ok: false,
      errors: [{ field: '', message: 'payload must be a JSON object' }],
    });
  });
});
