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
import { CurrentPrincipal, Roles } from '@implant-trace/platform-auth';
import { Idempotent } from '@implant-trace/platform-http';

import type { AcknowledgementView } from './acknowledgements/acknowledge-recall.use-case';
import { AcknowledgeRecallUseCase } from './acknowledgements/acknowledge-recall.use-case';
import { AcknowledgeDto } from './acknowledgements/acknowledgement.dto';
import { ownOds } from './own-hospital.util';

/** A hospital system tells the regulator how far it has got with a recall notice. */
@ApiTags('acknowledgements')
@Roles('hospital-system')
@Controller('v1/recalls/:recallId/acknowledgements')
export class AcknowledgementsController {
  constructor(
    @Inject(AcknowledgeRecallUseCase) private readonly acknowledge: AcknowledgeRecallUseCase,
  ) {}

  @Idempotent()
  @Post()
  @HttpCode(HttpStatus.CREATED)
  create(
    @Param('recallId', new ParseUUIDPipe()) recallId: string,
    @Body() body: AcknowledgeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AcknowledgementView> {
    return this.acknowledge.execute({
      recallId,
      hospitalOds: ownOds(principal),
      stage: body.stage,
      ...(body.note === undefined ? {} : { note: body.note }),
      acknowledgedBy: principal.sub,
    });
  }

  @Get()
  current(
    @Param('recallId', new ParseUUIDPipe()) recallId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AcknowledgementView> {
    return this.acknowledge.current(recallId, ownOds(principal));
  }
}
