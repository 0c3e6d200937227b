import { OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

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
