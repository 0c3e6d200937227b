import { Matches } from 'class-validator';

/** YYYY-MM-DD calendar date, as dates travel in every event. */
export const IsCalendarDate = (): PropertyDecorator =>
  Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: '$property must be a YYYY-MM-DD date',
  });

/** ODS organisation code, upper case (old 3/5-character or newer letter-digit forms). */
export const IsOdsCode = (): PropertyDecorator =>
  Matches(/^[A-Z0-9]{3,6}$/, { message: '$property must be an upper-case ODS code' });

/** Ten digits; the modulus-11 check is the recording service's job, before publishing. */
export const IsNhsNumberDigits = (): PropertyDecorator =>
  Matches(/^\d{10}$/, { message: '$property must be a 10-digit NHS number' });
