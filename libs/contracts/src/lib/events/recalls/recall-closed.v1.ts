import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** `recall.closed.v1`: no further action is required under this recall. */
export class RecallClosedV1 {
  @IsUUID()
  recallId!: string;

  @IsISO8601({ strict: true })
  closedAt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
