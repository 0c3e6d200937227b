import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { ISSUING_AGENCIES, type IssuingAgency } from '../../shared/udi.value';

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
  @MaxLength(64)
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

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => DeviceIdentifierValue)
  identifiers!: DeviceIdentifierValue[];

  @IsString()
  @MaxLength(200)
  manufacturer!: string;

  @IsString()
  @MaxLength(200)
  brand!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  catalogNumber?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  gmdnCode?: string;

  @IsBoolean()
  implantable!: boolean;

  @IsIn(MRI_SAFETY)
  mriSafety!: (typeof MRI_SAFETY)[number];

  @ValidateNested()
  @Type(() => LabelCarriesValue)
  labelCarries!: LabelCarriesValue;

  @IsIn(MARKET_STATUSES)
  status!: (typeof MARKET_STATUSES)[number];

  @IsISO8601({ strict: true })
  updatedAt!: string;
}
