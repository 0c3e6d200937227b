import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { IsOdsCode } from '../../shared/validation.util';

/** `implant.explanted.v1`: the device was removed; it leaves the active set. */
export class ImplantExplantedV1 {
  @IsUUID()
  implantId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @IsISO8601({ strict: true })
  explantedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @IsString()
  @MaxLength(200)
  recordedBy!: string;
}
