import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { FOLLOW_UP_OUTCOMES } from '@implant-trace/contracts';

export const MATCHES_PAGE_DEFAULT = 100;
export const MATCHES_PAGE_MAX = 1000;

export class MatchesPageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MATCHES_PAGE_MAX)
  limit?: number;

  /** The last match id of the previous page: match ids are UUID v7, so they order by time. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export class FollowUpDto {
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: (typeof FOLLOW_UP_OUTCOMES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
