import { IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The reason limit of the explanted and entered-in-error events. */
const MAX_REASON_LENGTH = 2000;

export class ExplantDto {
  @IsOptional()
  @IsISO8601({ strict: true })
  explantedAt?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}

export class EnteredInErrorDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON_LENGTH)
  reason!: string;
}
