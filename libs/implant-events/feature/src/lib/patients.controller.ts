import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { Principal } from '@implant-trace/platform-auth';
import { Audited, CurrentPrincipal, Roles } from '@implant-trace/platform-auth';

import type { PatientImplants } from './patient-implants/patient-implants.use-case';
import { PatientImplantsUseCase } from './patient-implants/patient-implants.use-case';

/** A patient's implant card data, only ever from the caller's own hospital. */
@ApiTags('patients')
@Controller('v1/patients')
export class PatientsController {
  constructor(
    @Inject(PatientImplantsUseCase) private readonly patientImplants: PatientImplantsUseCase,
  ) {}

  @Roles('theatre', 'hospital-system')
  @Audited({
    action: 'patient.implants.read',
    resourceType: 'implant',
    resourceIds: (_request, result) =>
      (result as PatientImplants).implants.map((implant) => implant.implantId),
    patientCount: () => 1,
  })
  @Get(':nhsNumber/implants')
  implants(
    @Param('nhsNumber') nhsNumber: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PatientImplants> {
    // Both roles are hospital-scoped: their tokens always carry the hospital they may see.
    return this.patientImplants.execute(nhsNumber, principal.ods ?? '');
  }
}
