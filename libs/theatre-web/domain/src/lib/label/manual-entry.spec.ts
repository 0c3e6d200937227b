import { describeManualEntry, EMPTY_MANUAL_ENTRY, manualEntryFromForm } from './manual-entry';

describe('manualEntryFromForm', () => {
  it('sends only the fields typed in, trimmed', () => {
    expect(
      manualEntryFromForm({
        ...EMPTY_MANUAL_ENTRY,
        deviceIdentifier: ' 05012345678900 ',
        lotNumber: 'LOT-1 ',
        expirationDate: '2030-12-31',
      }),
    ).toEqual({
      ok: true,
      manual: {
        deviceIdentifier: '05012345678900',
        lotNumber: 'LOT-1',
        expirationDate: '2030-12-31',
      },
    });
  });

  it('refuses a GTIN-14 whose check digit is wrong, and an expiry before manufacture', () => {
    expect(
      manualEntryFromForm({
        ...EMPTY_MANUAL_ENTRY,
        deviceIdentifier: '05012345678901',
        manufactureDate: '2026-01-01',
        expirationDate: '2025-01-01',
      }),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'deviceIdentifier',
          message: 'The check digit is wrong: compare the GTIN with the label again.',
        },
        { field: 'expirationDate', message: 'The expiry date is before manufacture.' },
      ],
    });
  });

  it('needs a device identifier, and takes other agencies’ identifiers as typed', () => {
    expect(manualEntryFromForm(EMPTY_MANUAL_ENTRY)).toMatchObject({
      ok: false,
      errors: [{ field: 'deviceIdentifier' }],
    });
    expect(manualEntryFromForm({ ...EMPTY_MANUAL_ENTRY, deviceIdentifier: 'A123PROD1' })).toEqual({
      ok: true,
      manual: { deviceIdentifier: 'A123PROD1' },
    });
  });
});

describe('describeManualEntry', () => {
  it('marks the recording as typed by hand', () => {
    expect(
      describeManualEntry({
        deviceIdentifier: '05012345678900',
        lotNumber: 'L1',
        serialNumber: 'S1',
      }),
    ).toBe('Entered by hand: 05012345678900, lot L1, serial S1');
  });
});
