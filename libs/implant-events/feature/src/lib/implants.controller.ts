import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { Audited, CurrentPrincipal, Roles } from '@implant-trace/platform-auth';
import { Idempotent } from '@implant-trace/platform-http';

import { RecordImplantDto } from './record-implant/record-implant.dto';
import type { RecordedImplant } from './record-implant/record-implant.use-case';
import { RecordImplantUseCase } from './record-implant/record-implant.use-case';

/** Theatre records what went into a patient; the hospital is always the caller's own. */
@ApiTags('implants')
@Controller('v1/implants')
export class ImplantsController {
  constructor(@Inject(RecordImplantUseCase) private readonly recordImplant: RecordImplantUseCase) {}

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
}
