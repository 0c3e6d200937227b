import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { ACKNOWLEDGEMENT_STAGES } from '@implant-trace/contracts';
import type { AcknowledgementStage } from '@implant-trace/notifications-domain';

export class AcknowledgeDto {
  @ApiProperty({ enum: ACKNOWLEDGEMENT_STAGES })
  @IsIn(ACKNOWLEDGEMENT_STAGES)
  stage!: AcknowledgementStage;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}
