import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';

import { PageQueryDto } from '../subscriptions/subscription.dto';
import { DELIVERY_STATUSES } from './delivery.entity';

export class DeliveriesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class ReplayFailedDto {
  @ApiPropertyOptional({ description: 'Replay every delivery that failed at or after this time' })
  @IsISO8601({ strict: true })
  failedSince!: string;

  @IsOptional()
  @IsUUID()
  subscriptionId?: string;
}
