import { buildDeviceDraft, type DeviceDraftInput } from './device-draft.util';

const input = (overrides: Partial<DeviceDraftInput> = {}): DeviceDraftInput => ({
  identifiers: [
    { deviceIdentifier: '5012345678900', issuingAgency: 'GS1', type: 'primary' },
    {
      deviceIdentifier: '15012345678907',
      issuingAgency: 'GS1',
      type: 'package',
      quantityPerPackage: 10,
    },
  ],
  manufacturer: ' Acme Orthopaedics ',
  brand: 'Acme Hip',
  model: '',
  implantable: true,
  ...overrides,
});

describe('buildDeviceDraft', () => {
  it('normalises identifiers and text and drops empty optional fields', () => {
    const result = buildDeviceDraft(input());
    expect(result).toEqual({
      ok: true,
      draft: {
        identifiers: [
          { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' },
          {
            deviceIdentifier: '15012345678907',
            issuingAgency: 'GS1',
            type: 'package',
            quantityPerPackage: 10,
          },
        ],
        manufacturer: 'Acme Orthopaedics',
        brand: 'Acme Hip',
        implantable: true,
      },
    });
  });

  it('reports every failing field at once', () => {
    const result = buildDeviceDraft(
      input({
        identifiers: [
          { deviceIdentifier: '05012345678901', issuingAgency: 'GS1', type: 'package' },
          { deviceIdentifier: 'H123ABC1', issuingAgency: 'GS1', type: 'previous' },
        ],
        manufacturer: ' ',
        brand: '',
      }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.field)).toEqual([
      'identifiers[0].deviceIdentifier',
      'identifiers[1].deviceIdentifier',
      'identifiers',
      'manufacturer',
      'brand',
    ]);
  });

  it('refuses a text longer than the contract allows, naming each field and its limit', () => {
    expect(
      buildDeviceDraft(input({ manufacturer: 'm'.repeat(201), description: 'd'.repeat(2001) })),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'manufacturer', message: 'is 201 characters long, at most 200' },
        { field: 'description', message: 'is 2001 characters long, at most 2000' },
      ],
    });
    expect(buildDeviceDraft(input({ gmdnCode: ` ${'1'.repeat(20)} ` })).ok).toBe(true);
  });

  it('refuses the same identifier twice, even spelt differently', () => {
    const result = buildDeviceDraft(
      input({
        identifiers: [
          { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: '5012345678900', issuingAgency: 'GS1', type: 'previous' },
        ],
      }),
    );
    expect(!result.ok && result.problems).toEqual([
      { field: 'identifiers[1].deviceIdentifier', message: expect.stringMatching(/listed twice/) },
    ]);
  });

  it('refuses two primaries', () => {
    const result = buildDeviceDraft(
      input({
        identifiers: [
          { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: '15012345678907', issuingAgency: 'GS1', type: 'primary' },
        ],
      }),
    );
    expect(!result.ok && result.problems[0]?.message).toMatch(/exactly one .* primary \(found 2\)/);
  });
});
