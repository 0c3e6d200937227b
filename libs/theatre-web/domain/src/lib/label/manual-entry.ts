import { isValidGs1CheckDigit } from '@implant-trace/udi';

/** The manual device entry as typed, for when no barcode on the label can be read. */
export interface ManualEntryForm {
  deviceIdentifier: string;
  lotNumber: string;
  serialNumber: string;
  expirationDate: string;
  manufactureDate: string;
}

export const EMPTY_MANUAL_ENTRY: ManualEntryForm = {
  deviceIdentifier: '',
  lotNumber: '',
  serialNumber: '',
  expirationDate: '',
  manufactureDate: '',
};

/** implant-events' `manual` device of `POST /v1/implants`, only with the fields filled in. */
export interface ManualDeviceBody {
  deviceIdentifier: string;
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  manufactureDate?: string;
}

export type ManualEntryReading =
  | { ok: true; manual: ManualDeviceBody }
  | { ok: false; errors: { field: keyof ManualEntryForm; message: string }[] };

/**
 * The manual device the form describes, or what is wrong with it. A mistyped device identifier
 * would record a device no recall of the real one reaches, so a GTIN-14 must carry its check
 * digit (other agencies' identifiers are left to the service's catalogue lookup).
 */
export function manualEntryFromForm(form: ManualEntryForm): ManualEntryReading {
  const errors: { field: keyof ManualEntryForm; message: string }[] = [];
  const deviceIdentifier = form.deviceIdentifier.trim();
  if (deviceIdentifier === '') {
    errors.push({ field: 'deviceIdentifier', message: 'Type the device identifier (DI).' });
  } else if (
    /^\d{14}$/.test(deviceIdentifier) &&
    !isValidGs1CheckDigit(deviceIdentifier, 0, deviceIdentifier.length)
  ) {
    errors.push({
      field: 'deviceIdentifier',
      message: 'The check digit is wrong: compare the GTIN with the label again.',
    });
  }
  const manufactured = form.manufactureDate;
  const expires = form.expirationDate;
  if (manufactured !== '' && expires !== '' && expires < manufactured) {
    errors.push({ field: 'expirationDate', message: 'The expiry date is before manufacture.' });
  }
  if (errors.length > 0) return { ok: false, errors };
  const optional = (key: 'lotNumber' | 'serialNumber' | 'expirationDate' | 'manufactureDate') => {
    const value = form[key].trim();
    return value === '' ? {} : { [key]: value };
  };
  return {
    ok: true,
    manual: {
      deviceIdentifier,
      ...optional('lotNumber'),
      ...optional('serialNumber'),
      ...optional('expirationDate'),
      ...optional('manufactureDate'),
    },
  };
}

/** How the recording is named in the procedure list and the queue: marked as typed by hand. */
export function describeManualEntry(manual: ManualDeviceBody): string {
  return [
    `Entered by hand: ${manual.deviceIdentifier}`,
    manual.lotNumber && `lot ${manual.lotNumber}`,
    manual.serialNumber && `serial ${manual.serialNumber}`,
  ]
    .filter(Boolean)
    .join(', ');
}
