import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { PlatformMetrics } from './metrics.registry';
import type { ReadinessReport } from './readiness.registry';
import { ReadinessRegistry } from './readiness.registry';

/**
 * `/health` and `/metrics`. Who may call them is an access decision, and access belongs to
 * the auth library: the service platform declares them public (`OperationsController`), so
 * this library needs no dependency on auth.
 */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  /** Liveness (it answers) and readiness (503 while a dependency is down; 200 when degraded). */
  @Get('health')
  @ApiOkResponse({ description: 'Every dependency is ready' })
  async health(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<ReadinessReport> {
    const report = await this.readiness.report();
    response.status(report.status === 'unavailable' ? 503 : 200);
    return report;
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
