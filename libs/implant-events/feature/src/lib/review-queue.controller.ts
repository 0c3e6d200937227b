import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { Audited, CurrentPrincipal, Roles } from '@implant-trace/platform-auth';

import { AuditedImplantChange } from './audited-implant-change.decorator';
import { ResolveReviewDto } from './review-queue/resolve-review.dto';
import type { ReviewItem, ReviewResolution } from './review-queue/review-queue.use-case';
import { ReviewQueueUseCase } from './review-queue/review-queue.use-case';

/** The recordings kept despite a doubt, for the hospital that made them to review. */
@ApiTags('review-queue')
@Controller('v1/review-queue')
export class ReviewQueueController {
  constructor(@Inject(ReviewQueueUseCase) private readonly reviewQueue: ReviewQueueUseCase) {}

  @Roles('theatre', 'hospital-system')
  @Audited({
    action: 'review-queue.read',
    resourceType: 'implant',
    resourceIds: (_request, result) =>
      (result as { items: ReviewItem[] }).items.map((item) => item.implantId),
    patientCount: (result) => (result as { items: ReviewItem[] }).items.length,
  })
  @Get()
  open(@CurrentPrincipal() principal: Principal): Promise<{ items: ReviewItem[] }> {
    // Both roles are hospital-scoped: their tokens always carry the hospital they may see.
    return this.reviewQueue.open(principal.ods ?? '');
  }

  @Roles('theatre', 'hospital-system')
  @AuditedImplantChange('review-queue.resolve')
  @Post(':id/resolve')
  @HttpCode(HttpStatus.OK)
  resolve(
    @Param('id', new ParseUUIDPipe()) implantId: string,
    @Body() body: ResolveReviewDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewResolution> {
    return this.reviewQueue.resolve(implantId, body.note, principal);
  }
}
