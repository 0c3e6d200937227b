import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

import { DEVICE_FIELD_LIMITS } from '@implant-trace/contracts';
import { SEARCH_LIMIT_MAX } from '@implant-trace/device-registry-domain';

export class SearchDevicesDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(DEVICE_FIELD_LIMITS.manufacturer)
  manufacturer?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(DEVICE_FIELD_LIMITS.catalogNumber)
  catalogNumber?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SEARCH_LIMIT_MAX)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
