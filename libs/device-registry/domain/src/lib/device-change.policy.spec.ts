import type { CatalogueView, ChangeContext } from './device-change.policy';
import { decideChange, identifiersOf } from './device-change.policy';
import type { DeviceDraft, DeviceRecord } from './device-record.types';

const PRIMARY = '05012345678900';
const PACKAGE = '15012345678907';
const OTHER = '05012345678917';

function view(records: DeviceRecord[]): CatalogueView {
  const owners = new Map(
    records.flatMap((record) =>
      record.identifiers.map((i) => [i.deviceIdentifier, record.deviceId]),
    ),
  );
  const byId = new Map(records.map((record) => [record.deviceId, record]));
  return { ownerOf: (di) => owners.get(di), recordOf: (id) => byId.get(id) };
}

const context: ChangeContext = { newDeviceId: () => 'new-device', now: '2026-02-01T00:00:00.000Z' };

const draft = (overrides: Partial<DeviceDraft> = {}): DeviceDraft => ({
  identifiers: [{ deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'primary' }],
  manufacturer: 'Acme',
  brand: 'Hip',
  ...overrides,
});

const existing: DeviceRecord = {
  deviceId: 'dev-1',
  revision: 3,
  identifiers: [
    { deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'primary' },
    { deviceIdentifier: PACKAGE, issuingAgency: 'GS1', type: 'package', quantityPerPackage: 5 },
  ],
  manufacturer: 'Acme',
  brand: 'Hip',
  model: 'H-1',
  implantable: true,
  mriSafety: 'conditional',
  labelCarries: {
    lotNumber: true,
    serialNumber: true,
    expirationDate: true,
    manufactureDate: false,
  },
  status: 'on-market',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('decideChange (upsert)', () => {
  const carries = {
    lotNumber: true,
    serialNumber: false,
    expirationDate: true,
    manufactureDate: false,
  };

  it('creates an unknown device at revision 1 with the documented defaults', () => {
    expect(
      decideChange({ kind: 'upsert', draft: draft({ labelCarries: carries }) }, view([]), context),
    ).toEqual({
      kind: 'created',
      record: {
        deviceId: 'new-device',
        revision: 1,
        identifiers: [{ deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'primary' }],
        manufacturer: 'Acme',
        brand: 'Hip',
        implantable: false,
        mriSafety: 'unknown',
        labelCarries: carries,
        status: 'on-market',
        updatedAt: context.now,
      },
    });
  });

  it('refuses a new device whose draft does not say what its label carries', () => {
    expect(decideChange({ kind: 'upsert', draft: draft() }, view([]), context)).toEqual({
      kind: 'rejected',
      field: 'labelCarries',
      reason: expect.stringMatching(/labelCarries is required for a new device/),
    });
  });

  it('keeps what the label carries when an update does not restate it', () => {
    const outcome = decideChange(
      { kind: 'upsert', draft: draft({ brand: 'Hip II' }) },
      view([existing]),
      context,
    );
    expect(outcome.kind === 'updated' && outcome.record.labelCarries).toEqual(
      existing.labelCarries,
    );
  });

  it('leaves a device unchanged when the draft restates it, however partially', () => {
    const outcome = decideChange(
      { kind: 'upsert', draft: draft({ model: 'H-1' }) },
      view([existing]),
      context,
    );
    expect(outcome).toEqual({ kind: 'unchanged', record: existing });
  });

  it('updates by primary identifier, keeps identifiers the draft left out, and bumps the revision', () => {
    const outcome = decideChange(
      {
        kind: 'upsert',
        draft: draft({
          brand: 'Hip II',
          identifiers: [
            { deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'primary' },
            { deviceIdentifier: OTHER, issuingAgency: 'GS1', type: 'unit-of-use' },
          ],
        }),
      },
      view([existing]),
      context,
    );
    expect(outcome.kind).toBe('updated');
    if (outcome.kind !== 'updated') return;
    expect(outcome.record).toMatchObject({
      deviceId: 'dev-1',
      revision: 4,
      brand: 'Hip II',
      model: 'H-1',
    });
    expect(outcome.record.identifiers.map((i) => [i.deviceIdentifier, i.type])).toEqual([
      [PRIMARY, 'primary'],
      [PACKAGE, 'package'],
      [OTHER, 'unit-of-use'],
    ]);
  });

  it('demotes the old primary to previous when another of the device identifiers becomes primary', () => {
    const outcome = decideChange(
      {
        kind: 'upsert',
        draft: draft({
          identifiers: [{ deviceIdentifier: PACKAGE, issuingAgency: 'GS1', type: 'primary' }],
        }),
      },
      view([existing]),
      context,
    );
    expect(outcome.kind === 'updated' && outcome.record.identifiers).toEqual([
      { deviceIdentifier: PACKAGE, issuingAgency: 'GS1', type: 'primary', quantityPerPackage: 5 },
      { deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'previous' },
    ]);
  });

  it('is a conflict when any identifier resolves to another device', () => {
    const outcome = decideChange(
      {
        kind: 'upsert',
        draft: draft({
          identifiers: [
            { deviceIdentifier: OTHER, issuingAgency: 'GS1', type: 'primary' },
            { deviceIdentifier: PACKAGE, issuingAgency: 'GS1', type: 'package' },
          ],
        }),
      },
      view([existing]),
      context,
    );
    expect(outcome).toEqual({
      kind: 'conflict',
      conflicts: [{ deviceIdentifier: PACKAGE, ownerDeviceId: 'dev-1' }],
    });
  });
});

describe('decideChange (add-identifiers)', () => {
  const add = (identifiers: DeviceRecord['identifiers'], primary = PRIMARY) =>
    decideChange(
      { kind: 'add-identifiers', primaryDeviceIdentifier: primary, identifiers },
      view([existing]),
      context,
    );

  it('adds an identifier and is unchanged when it is already there', () => {
    expect(add([{ deviceIdentifier: OTHER, issuingAgency: 'GS1', type: 'previous' }]).kind).toBe(
      'updated',
    );
    expect(add([{ deviceIdentifier: PRIMARY, issuingAgency: 'GS1', type: 'primary' }]).kind).toBe(
      'unchanged',
    );
  });

  it('rejects an unknown device and a second primary', () => {
    expect(add([], OTHER)).toEqual({
      kind: 'rejected',
      field: 'primaryDeviceIdentifier',
      reason: expect.stringMatching(/no device/),
    });
    expect(add([{ deviceIdentifier: OTHER, issuingAgency: 'GS1', type: 'primary' }])).toEqual({
      kind: 'rejected',
      field: 'identifiers',
      reason: expect.stringMatching(/given as primary/),
    });
  });

  it('lists what a batch must look up, primary first', () => {
    expect(
      identifiersOf({
        kind: 'add-identifiers',
        primaryDeviceIdentifier: PRIMARY,
        identifiers: [{ deviceIdentifier: OTHER, issuingAgency: 'GS1', type: 'previous' }],
      }),
    ).toEqual([PRIMARY, OTHER]);
  });
});
