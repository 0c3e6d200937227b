import {
  Body,
  Controller,
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
import { Idempotent } from '@implant-trace/platform-http';

import { AuditedImplantChange } from './audited-implant-change.decorator';
import { EnteredInErrorDto, ExplantDto } from './implant-lifecycle/implant-lifecycle.dto';
import type { ImplantStatusAnswer } from './implant-lifecycle/implant-lifecycle.use-case';
import { ImplantLifecycleUseCase } from './implant-lifecycle/implant-lifecycle.use-case';
import { RecordImplantDto } from './record-implant/record-implant.dto';
import type { RecordedImplant } from './record-implant/record-implant.use-case';
import { RecordImplantUseCase } from './record-implant/record-implant.use-case';

/** Theatre records what went into a patient; the hospital is always the caller's own. */
@ApiTags('implants')
@Controller('v1/implants')
export class ImplantsController {
  constructor(
    @Inject(RecordImplantUseCase) private readonly recordImplant: RecordImplantUseCase,
    @Inject(ImplantLifecycleUseCase) private readonly lifecycle: ImplantLifecycleUseCase,
  ) {}

  @Roles('theatre')
  @Idempotent()
  @Audited({
    action: 'implant.record',
    resourceType: 'implant',
    resourceIds: (_request, result) => [(result as RecordedImplant).implantId],
    patientCount: () => 1,
  })
  @Post()
  @HttpCode(HttpStatus.CREATED)
  record(
    @Body() body: RecordImplantDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecordedImplant> {
    return this.recordImplant.execute(body, principal);
  }

  @Roles('theatre')
  @AuditedImplantChange('implant.explant')
  @Post(':id/explant')
  @HttpCode(HttpStatus.OK)
  explant(
    @Param('id', new ParseUUIDPipe()) implantId: string,
    @Body() body: ExplantDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImplantStatusAnswer> {
    return this.lifecycle.explant(implantId, body, principal);
  }

  @Roles('theatre')
  @AuditedImplantChange('implant.entered-in-error')
  @Post(':id/entered-in-error')
  @HttpCode(HttpStatus.OK)
  enteredInError(
    @Param('id', new ParseUUIDPipe()) implantId: string,
    @Body() body: EnteredInErrorDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImplantStatusAnswer> {
    return this.lifecycle.enterInError(implantId, body.reason, principal);
  }
}
