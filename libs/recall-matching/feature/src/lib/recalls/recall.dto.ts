import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

import { RecallCriteriaValue, RecallDetailsValue, RequiredNested } from '@implant-trace/contracts';

/** What a regulator issues: the recall event's fields but the ones this service mints. */
export class IssueRecallDto extends OmitType(RecallDetailsValue, [
  'recallId',
  'status',
  'issuedAt',
] as const) {}

/** Any field of the issue: given ones replace the recall's (criteria as a whole). */
export class ChangeRecallDto extends PartialType(IssueRecallDto) {}

export class CloseRecallDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** A dry run: the criteria a recall would have. */
export class RecallQueryDto {
  @RequiredNested(() => RecallCriteriaValue)
  criteria!: RecallCriteriaValue;
}

export const RECALLS_PAGE_DEFAULT = 50;

export class RecallsPageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** The last recall id of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
