import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import {
  DEVICE_IDENTIFIER_TYPES,
  ISSUING_AGENCIES,
  MARKET_STATUSES,
  MRI_SAFETY,
} from '@implant-trace/contracts';
import type {
  DeviceIdentifierType,
  IssuingAgency,
  MarketStatus,
  MriSafety,
} from '@implant-trace/device-registry-domain';

export class DeviceIdentifierDto {
  @ApiProperty({ example: '05012345678900' })
  @IsString()
  @MaxLength(64)
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeviceIdentifierDto)
  identifiers!: DeviceIdentifierDto[];

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

  @ApiPropertyOptional({ enum: MRI_SAFETY })
  @IsOptional()
  @IsIn(MRI_SAFETY)
  mriSafety?: MriSafety;

  @ValidateNested()
  @Type(() => LabelCarriesDto)
  labelCarries!: LabelCarriesDto;

  @ApiPropertyOptional({ enum: MARKET_STATUSES })
  @IsOptional()
  @IsIn(MARKET_STATUSES)
  status?: MarketStatus;
}
