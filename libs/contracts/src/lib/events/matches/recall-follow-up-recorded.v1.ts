import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { IsOdsCode } from '../../shared/validation.util';

export const FOLLOW_UP_OUTCOMES = [
  'contacted',
  'reviewed',
  'explant-planned',
  'explanted',
  'declined',
  'deceased',
  'untraceable',
] as const;

/** `recall.follow-up.recorded.v1`: what a hospital did for one affected patient. */
export class RecallFollowUpRecordedV1 {
  @IsUUID()
  recallId!: string;

  @IsUUID()
  matchId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: (typeof FOLLOW_UP_OUTCOMES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsISO8601({ strict: true })
  recordedAt!: string;

  @IsString()
  @MaxLength(200)
  recordedBy!: string;
}
