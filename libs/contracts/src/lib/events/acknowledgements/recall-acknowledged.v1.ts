import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { IsOdsCode } from '../../shared/validation.util';

export const ACKNOWLEDGEMENT_STAGES = [
  'received',
  'action-underway',
  'action-complete',
  'not-applicable',
] as const;

/** `recall.acknowledged.v1`: a hospital moved its acknowledgement of a recall forward. */
export class RecallAcknowledgedV1 {
  @IsUUID()
  recallId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsIn(ACKNOWLEDGEMENT_STAGES)
  stage!: (typeof ACKNOWLEDGEMENT_STAGES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsISO8601({ strict: true })
  acknowledgedAt!: string;

  @IsString()
  @MaxLength(200)
  acknowledgedBy!: string;
}
