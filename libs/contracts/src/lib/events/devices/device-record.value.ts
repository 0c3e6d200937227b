import {
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
} from 'class-validator';

import { DEVICE_FIELD_LIMITS } from '../../shared/field-limits';
import { ISSUING_AGENCIES, type IssuingAgency } from '../../shared/udi.value';
import { NestedArray, RequiredNested } from '../../shared/validation.util';

export const DEVICE_IDENTIFIER_TYPES = [
  'primary',
  'package',
  'unit-of-use',
  'direct-marking',
  'secondary',
  'previous',
] as const;
export const MRI_SAFETY = ['safe', 'conditional', 'unsafe', 'unknown'] as const;
export const MARKET_STATUSES = ['on-market', 'withdrawn'] as const;

export class DeviceIdentifierValue {
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.deviceIdentifier)
  deviceIdentifier!: string;

  @IsIn(ISSUING_AGENCIES)
  issuingAgency!: IssuingAgency;

  @IsIn(DEVICE_IDENTIFIER_TYPES)
  type!: (typeof DEVICE_IDENTIFIER_TYPES)[number];

  @IsOptional()
  @IsInt()
  @Min(1)
  quantityPerPackage?: number;
}

export class LabelCarriesValue {
  @IsBoolean()
  lotNumber!: boolean;

  @IsBoolean()
  serialNumber!: boolean;

  @IsBoolean()
  expirationDate!: boolean;

  @IsBoolean()
  manufactureDate!: boolean;
}

/** The full current device record: a replica can be rebuilt from these events alone. */
export class DeviceRecordValue {
  @IsUUID()
  deviceId!: string;

  @IsInt()
  @Min(1)
  revision!: number;

  @ArrayMinSize(1)
  @NestedArray(() => DeviceIdentifierValue)
  identifiers!: DeviceIdentifierValue[];

  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.manufacturer)
  manufacturer!: string;

  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.brand)
  brand!: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.model)
  model?: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.catalogNumber)
  catalogNumber?: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.description)
  description?: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.gmdnCode)
  gmdnCode?: string;

  @IsBoolean()
  implantable!: boolean;

  @IsIn(MRI_SAFETY)
  mriSafety!: (typeof MRI_SAFETY)[number];

  @RequiredNested(() => LabelCarriesValue)
  labelCarries!: LabelCarriesValue;

  @IsIn(MARKET_STATUSES)
  status!: (typeof MARKET_STATUSES)[number];

  @IsISO8601({ strict: true })
  updatedAt!: string;
}
