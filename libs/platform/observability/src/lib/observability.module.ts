import { Module } from '@nestjs/common';

import { HealthController } from './health.controller';
import { PlatformMetrics } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

/** `/health`, `/metrics`, and the registries other libraries report into. */
@Module({
  controllers: [HealthController],
  providers: [ReadinessRegistry, PlatformMetrics],
  exports: [ReadinessRegistry, PlatformMetrics],
})
export class ObservabilityModule {}
