import { Controller, Get, Module } from '@nestjs/common';

import { Roles } from '@implant-trace/platform-auth';

/** One authenticated route with no I/O of its own, for tests of what stands in front of it. */
@Controller('v1')
class RegulatorSummaryProbeController {
  @Roles('regulator')
  @Get('recall-summary')
  summary(): { matched: { patients: number } } {
    return { matched: { patients: 3 } };
  }
}

@Module({ controllers: [RegulatorSummaryProbeController] })
export class RegulatorSummaryProbeModule {}
