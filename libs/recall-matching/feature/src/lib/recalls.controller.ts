import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import {
  CurrentPrincipal,
  hospitalFilterFor,
  RegulatorFacing,
  Roles,
} from '@implant-trace/platform-auth';
import { Idempotent, ProblemException } from '@implant-trace/platform-http';
import { RecallNotFoundError } from '@implant-trace/recall-matching-domain';

import {
  ChangeRecallDto,
  CloseRecallDto,
  IssueRecallDto,
  RECALLS_PAGE_DEFAULT,
  RecallQueryDto,
  RecallsPageDto,
} from './recalls/recall.dto';
import { RecallChangesUseCase } from './recalls/recall-changes.use-case';
import { ScopeQueryDto, ScopeQueryRunDto } from './recall-scope/recall-scope.dto';
import { RecallScopeUseCase, type ScopeReport } from './recall-scope/recall-scope.use-case';
import { RecallQueryUseCase, type RecallQueryAnswer } from './recalls/recall-query.use-case';
import type { RecallChangeView, RecallView } from './recalls/recall-view';
import { RecallsRepository } from './recalls/recalls.repository';

const CSV_MEDIA_TYPES = ['text/csv', 'text/plain'];

function assertCsv(request: IncomingMessage): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (!CSV_MEDIA_TYPES.includes(mediaType ?? '')) {
    throw new ProblemException(
      415,
      'about:blank',
      `Send the list as ${CSV_MEDIA_TYPES.join(', ')}`,
    );
  }
}

const columnsOf = (query: ScopeQueryDto) => ({
  ...(query.lot === undefined ? {} : { lot: query.lot }),
  ...(query.serial === undefined ? {} : { serial: query.serial }),
  ...(query.udi === undefined ? {} : { udi: query.udi }),
});

/** Regulators query, issue, change and close recalls; a hospital sees those that affect it. */
@ApiTags('recalls')
@Controller('v1')
export class RecallsController {
  constructor(
    @Inject(RecallChangesUseCase) private readonly changes: RecallChangesUseCase,
    @Inject(RecallQueryUseCase) private readonly query: RecallQueryUseCase,
    @Inject(RecallsRepository) private readonly recalls: RecallsRepository,
    @Inject(RecallScopeUseCase) private readonly scope: RecallScopeUseCase,
  ) {}

  @Roles('regulator')
  @RegulatorFacing()
  @Post('recall-queries')
  @HttpCode(HttpStatus.OK)
  dryRun(@Body() body: RecallQueryDto): Promise<RecallQueryAnswer> {
    return this.query.execute(body.criteria);
  }

  /** A dry run of a manufacturer's list (CSV body), on the criteria given as JSON or alone. */
  @Roles('regulator')
  @RegulatorFacing()
  @Post('recall-queries/scope')
  @HttpCode(HttpStatus.OK)
  dryRunScope(
    @Req() request: IncomingMessage,
    @Query() query: ScopeQueryRunDto,
  ): Promise<RecallQueryAnswer & { scope: ScopeReport }> {
    assertCsv(request);
    return this.scope.dryRun(request, columnsOf(query), query.mode ?? 'widen', query.criteria);
  }

  /** The manufacturer's list of affected units (CSV body) sets or widens the criteria. */
  @Roles('regulator')
  @RegulatorFacing()
  @Post('recalls/:id/scope')
  @HttpCode(HttpStatus.OK)
  applyScope(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @Req() request: IncomingMessage,
    @Query() query: ScopeQueryDto,
  ): Promise<RecallChangeView & { scope: ScopeReport }> {
    assertCsv(request);
    return this.scope.apply(recallId, request, columnsOf(query), query.mode ?? 'widen');
  }

  @Roles('regulator')
  @RegulatorFacing()
  @Idempotent()
  @Post('recalls')
  @HttpCode(HttpStatus.CREATED)
  issue(@Body() body: IssueRecallDto): Promise<RecallChangeView> {
    return this.changes.issue(body);
  }

  @Roles('regulator')
  @RegulatorFacing()
  @Patch('recalls/:id')
  change(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @Body() body: ChangeRecallDto,
  ): Promise<RecallChangeView> {
    return this.changes.change(recallId, body);
  }

  @Roles('regulator')
  @RegulatorFacing()
  @Post('recalls/:id/close')
  @HttpCode(HttpStatus.OK)
  close(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @Body() body: CloseRecallDto,
  ): Promise<RecallChangeView> {
    return this.changes.close(recallId, body.note);
  }

  @Roles('regulator', 'hospital-system')
  @RegulatorFacing()
  @Get('recalls')
  list(
    @Query() page: RecallsPageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: RecallView[]; nextCursor: string | null }> {
    return this.recalls.list(hospitalFilterFor(principal), {
      limit: page.limit ?? RECALLS_PAGE_DEFAULT,
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
  }

  @Roles('regulator', 'hospital-system')
  @RegulatorFacing()
  @Get('recalls/:id')
  async get(
    @Param('id', new ParseUUIDPipe()) recallId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecallView> {
    const hospital = hospitalFilterFor(principal);
    // A recall that does not affect the caller's hospital is not named to it: as if absent.
    if (hospital !== undefined && !(await this.recalls.affects(recallId, hospital))) {
      throw new RecallNotFoundError(recallId);
    }
    return this.recalls.view(recallId);
  }
}
