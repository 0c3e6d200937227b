import type { Udi } from '@implant-trace/udi';

import { interimRecallEvaluation } from './interim-recall-evaluation.util';
import type { ReplicaDevice } from './scan-check.types';

const udi = (fields: Partial<Udi> = {}): Udi => ({
  format: 'gs1',
  issuingAgency: 'GS1',
  deviceIdentifier: '15012345678907',
  elements: [],
  ...fields,
});
const device = {
  deviceId: 'd1',
  identifiers: ['05012345678900', '15012345678907'],
  manufacturer: 'Acme',
  model: 'AH-1',
  catalogNumber: 'REF-1',
} as ReplicaDevice;

describe('interimRecallEvaluation', () => {
  it('selects the device through any of its identifiers, whatever level was scanned', () => {
    const criteria = { deviceIdentifiers: ['05012345678900'] };
    expect(interimRecallEvaluation(criteria, { udi: udi(), device })).toBe('matched');
  });

  it('selects by catalogue number or manufacturer with model, and nothing else', () => {
    expect(interimRecallEvaluation({ catalogNumbers: ['REF-1'] }, { udi: udi(), device })).toBe(
      'matched',
    );
    expect(
      interimRecallEvaluation({ manufacturer: 'acme', models: ['AH-1'] }, { udi: udi(), device }),
    ).toBe('matched');
    expect(
      interimRecallEvaluation({ deviceIdentifiers: ['099'] }, { udi: udi(), device }),
    ).toBeUndefined();
  });

  it('matches the lot and serial constraints, numeric ranges included', () => {
    const criteria = {
      deviceIdentifiers: ['05012345678900'],
      lotNumbers: ['L1'],
      serialRanges: [{ from: '9', to: '100' }],
    };
    expect(
      interimRecallEvaluation(criteria, {
        udi: udi({ lotNumber: 'L1', serialNumber: '10' }),
        device,
      }),
    ).toBe('matched');
    expect(
      interimRecallEvaluation(criteria, {
        udi: udi({ lotNumber: 'L1', serialNumber: '101' }),
        device,
      }),
    ).toBeUndefined();
  });

  it('is possible when the scan does not carry a constrained field', () => {
    const criteria = { deviceIdentifiers: ['05012345678900'], lotNumbers: ['L1'] };
    expect(interimRecallEvaluation(criteria, { udi: udi(), device })).toBe('possible');
  });
});
