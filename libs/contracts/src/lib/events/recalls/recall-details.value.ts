import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { RecallCriteriaValue } from '../../shared/recall-criteria.value';
import { IsCalendarDate, RequiredNested } from '../../shared/validation.util';

export const RECALL_CLASSES = ['I', 'II', 'III'] as const;
export const RECALL_STATUSES = ['open', 'closed'] as const;

/** A recall as the regulator issued or last changed it. */
export class RecallDetailsValue {
  @IsUUID()
  recallId!: string;

  @IsString()
  @MaxLength(300)
  title!: string;

  @IsString()
  @MaxLength(5000)
  reason!: string;

  @IsIn(RECALL_CLASSES)
  class!: (typeof RECALL_CLASSES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  manufacturer?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  fsnReference?: string;

  @IsOptional()
  @IsCalendarDate()
  actionsUnderwayBy?: string;

  @IsOptional()
  @IsCalendarDate()
  actionsCompleteBy?: string;

  @RequiredNested(() => RecallCriteriaValue)
  criteria!: RecallCriteriaValue;

  @IsIn(RECALL_STATUSES)
  status!: (typeof RECALL_STATUSES)[number];

  @IsISO8601({ strict: true })
  issuedAt!: string;
}
