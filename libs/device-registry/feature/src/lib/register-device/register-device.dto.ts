import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
} from 'class-validator';

import {
  DEVICE_FIELD_LIMITS,
  DEVICE_IDENTIFIER_TYPES,
  ISSUING_AGENCIES,
  MARKET_STATUSES,
  MRI_SAFETY,
  NestedArray,
  RequiredNested,
} from '@implant-trace/contracts';
import type {
  DeviceIdentifierType,
  IssuingAgency,
  MarketStatus,
  MriSafety,
} from '@implant-trace/device-registry-domain';

/** Identifiers one request may list; a device gathers more over time, never all at once. */
const IDENTIFIERS_PER_REQUEST = 50;

export class DeviceIdentifierDto {
  @ApiProperty({ example: '05012345678900' })
  @IsString()
  @MaxLength(DEVICE_FIELD_LIMITS.deviceIdentifier)
  deviceIdentifier!: string;

  @ApiProperty({ enum: ISSUING_AGENCIES })
  @IsIn(ISSUING_AGENCIES)
  issuingAgency!: IssuingAgency;

  @ApiProperty({ enum: DEVICE_IDENTIFIER_TYPES })
  @IsIn(DEVICE_IDENTIFIER_TYPES)
  type!: DeviceIdentifierType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  quantityPerPackage?: number;
}

export class LabelCarriesDto {
  @IsBoolean()
  lotNumber!: boolean;

  @IsBoolean()
  serialNumber!: boolean;

  @IsBoolean()
  expirationDate!: boolean;

  @IsBoolean()
  manufactureDate!: boolean;
}

/** `POST /v1/devices`: the shape; the identifier rules are the domain's (422 when broken). */
export class RegisterDeviceDto {
  @ApiProperty({ type: [DeviceIdentifierDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(IDENTIFIERS_PER_REQUEST)
  @NestedArray(() => DeviceIdentifierDto)
  identifiers!: DeviceIdentifierDto[];

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

  @ApiPropertyOptional({ enum: MRI_SAFETY })
  @IsOptional()
  @IsIn(MRI_SAFETY)
  mriSafety?: MriSafety;

  /** Required: a label assumed to carry nothing would turn every recall match into "possible". */
  @ApiProperty({ type: LabelCarriesDto })
  @RequiredNested(() => LabelCarriesDto)
  labelCarries!: LabelCarriesDto;

  @ApiPropertyOptional({ enum: MARKET_STATUSES })
  @IsOptional()
  @IsIn(MARKET_STATUSES)
  status?: MarketStatus;
}
