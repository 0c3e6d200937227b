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
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { Audited, CurrentPrincipal, RegulatorFacing, Roles } from '@implant-trace/platform-auth';

import { FollowUpDto, MatchesPageDto } from './hospital-matches/hospital-matches.dto';
import type { HospitalMatch, RecordedFollowUp } from './hospital-matches/hospital-matches.use-case';
import { HospitalMatchesUseCase } from './hospital-matches/hospital-matches.use-case';
import { RecallProgressUseCase, type RecallProgress } from './progress/recall-progress.use-case';

/**
 * What happens after a recall: the regulator watches counts and stages per hospital; each
 * hospital system pulls its own affected patients and records what it did for each.
 */
@ApiTags('recalls')
@Controller('v1/recalls/:id')
export class RecallProgressController {
  constructor(
    @Inject(RecallProgressUseCase) private readonly progress: RecallProgressUseCase,
    @Inject(HospitalMatchesUseCase) private readonly matches: HospitalMatchesUseCase,
  ) {}

  @Roles('regulator')
  @RegulatorFacing()
  @Get('progress')
  get(@Param('id', new ParseUUIDPipe()) recallId: string): Promise<RecallProgress> {
    return this.progress.execute(recallId);
  }

  @Roles('hospital-system')
  @Audited({
    action: 'recall-matches.read',
    resourceType: 'recall-match',
    resourceIds: (_request, result) =>
      (result as { items: HospitalMatch[] }).items.map((item) => item.matchId),
    patientCount: (result) =>
      new Set(
        (result as { items: HospitalMatch[] }).items.map((item) => JSON.stringify(item.patient)),
      ).size,
  })
  @Get('matches')
  list(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @Query() page: MatchesPageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: HospitalMatch[]; nextCursor: string | null }> {
    // A hospital-system token always carries the hospital it may see.
    return this.matches.list(recallId, principal.ods ?? '', page);
  }

  @Roles('hospital-system')
  @Audited({
    action: 'recall-match.follow-up',
    resourceType: 'recall-match',
    resourceIds: (request) => [request.params['matchId'] ?? ''],
    patientCount: () => 1,
  })
  @Post('matches/:matchId/follow-up')
  @HttpCode(HttpStatus.CREATED)
  followUp(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @Param('matchId', new ParseUUIDPipe()) matchId: string,
    @Body() body: FollowUpDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecordedFollowUp> {
    return this.matches.recordFollowUp(recallId, matchId, body, principal);
  }
}
