import { IsISO8601, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

import { IsOdsCode } from '../../shared/validation.util';

/** `implant.entered-in-error.v1`: the record was wrong; it leaves the active set, never deleted. */
export class ImplantEnteredInErrorV1 {
  @IsUUID()
  implantId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;

  @IsISO8601({ strict: true })
  correctedAt!: string;

  @IsString()
  @MaxLength(200)
  recordedBy!: string;
}
