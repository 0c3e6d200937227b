import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';

import { IsCalendarDate, NestedArray, OptionalNested } from './validation.util';

export class SerialRangeValue {
  @IsString()
  @MaxLength(64)
  from!: string;

  @IsString()
  @MaxLength(64)
  to!: string;
}

export class DateWindowValue {
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

/** Which implants a recall covers (API.md, recall-matching: Criteria). */
export class RecallCriteriaValue {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  deviceIdentifiers?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  catalogNumbers?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  manufacturer?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  models?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsString({ each: true })
  lotNumbers?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100_000)
  @IsString({ each: true })
  serialNumbers?: string[];

  @IsOptional()
  @NestedArray(() => SerialRangeValue)
  serialRanges?: SerialRangeValue[];

  @OptionalNested(() => DateWindowValue)
  manufacturedBetween?: DateWindowValue;

  @OptionalNested(() => DateWindowValue)
  expiresBetween?: DateWindowValue;
}
