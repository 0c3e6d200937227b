import { Controller } from '@nestjs/common';

import { Public } from '@implant-trace/platform-auth';
import { HealthController } from '@implant-trace/platform-observability';

/** `/health` and `/metrics`, open without a token: probes and metric scrapers carry none. */
@Public()
@Controller()
export class OperationsController extends HealthController {}
