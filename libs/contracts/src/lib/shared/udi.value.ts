import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { UDI_FIELD_LIMITS } from './field-limits';
import { IsCalendarDate } from './validation.util';

export const UDI_FORMATS = ['gs1', 'gs1-digital-link', 'hibcc', 'iccbba', 'manual'] as const;
export const ISSUING_AGENCIES = ['GS1', 'HIBCC', 'ICCBBA'] as const;
export type IssuingAgency = (typeof ISSUING_AGENCIES)[number];

/** The device and production identifiers read from a label (or typed in by hand). */
export class UdiValue {
  @IsIn(UDI_FORMATS)
  format!: (typeof UDI_FORMATS)[number];

  @IsIn(ISSUING_AGENCIES)
  issuingAgency!: IssuingAgency;

  @IsString()
  @MaxLength(UDI_FIELD_LIMITS.deviceIdentifier)
  deviceIdentifier!: string;

  @IsOptional()
  @IsString()
  @MaxLength(UDI_FIELD_LIMITS.lotNumber)
  lotNumber?: string;

  @IsOptional()
  @IsString()
  @MaxLength(UDI_FIELD_LIMITS.serialNumber)
  serialNumber?: string;

  @IsOptional()
  @IsCalendarDate()
  expirationDate?: string;

  @IsOptional()
  @IsCalendarDate()
  manufactureDate?: string;
}
