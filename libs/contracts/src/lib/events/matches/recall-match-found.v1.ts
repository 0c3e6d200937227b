import { IsIn, IsISO8601, IsUUID } from 'class-validator';

import { UdiValue } from '../../shared/udi.value';
import { IsOdsCode, RequiredNested } from '../../shared/validation.util';
import { PatientValue } from '../implants/implant-recorded.v1';

export const MATCH_KINDS = ['matched', 'possible'] as const;

/**
 * `recall.match.found.v1`: one implant still in a patient falls under a recall. Keyed by the
 * hospital, which is the only party that receives the patient identifier.
 */
export class RecallMatchFoundV1 {
  @IsUUID()
  matchId!: string;

  @IsUUID()
  recallId!: string;

  @IsUUID()
  implantId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsIn(MATCH_KINDS)
  match!: (typeof MATCH_KINDS)[number];

  @RequiredNested(() => PatientValue)
  patient!: PatientValue;

  @RequiredNested(() => UdiValue)
  udi!: UdiValue;

  @IsISO8601({ strict: true })
  foundAt!: string;
}
