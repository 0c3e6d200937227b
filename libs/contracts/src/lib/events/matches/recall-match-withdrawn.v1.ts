import { IsIn, IsISO8601, IsUUID } from 'class-validator';

import { IsOdsCode } from '../../shared/validation.util';

export const WITHDRAWAL_REASONS = [
  'explanted',
  'entered-in-error',
  'criteria-narrowed',
  'recall-closed',
  // The device's catalogue record arrived or changed, and the implant is no longer covered.
  'device-record-changed',
] as const;

/** `recall.match.withdrawn.v1`: a match already sent no longer applies. */
export class RecallMatchWithdrawnV1 {
  @IsUUID()
  matchId!: string;

  @IsUUID()
  recallId!: string;

  @IsUUID()
  implantId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsIn(WITHDRAWAL_REASONS)
  reason!: (typeof WITHDRAWAL_REASONS)[number];

  @IsISO8601({ strict: true })
  withdrawnAt!: string;
}
