import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import { MAX_ENDPOINT_URL_LENGTH } from '@implant-trace/notifications-domain';

import { DELIVERED_EVENT_TYPES } from '../feed/delivered-event-types';

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'https://epr.example.nhs.uk/hooks/implant-trace' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ENDPOINT_URL_LENGTH)
  url!: string;

  @ApiProperty({ enum: DELIVERED_EVENT_TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DELIVERED_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(DELIVERED_EVENT_TYPES, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ description: 'How long the old secret still signs (default a day)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  gracePeriodSeconds?: number;
}

export const MAX_PAGE = 200;

export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'The last sequence seen; events after it are returned' })
  @IsOptional()
  @Matches(/^(0|[1-9]\d{0,14})$/, { message: 'after must be a sequence number' })
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;
}
