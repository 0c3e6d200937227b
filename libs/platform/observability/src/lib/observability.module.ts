import { Module } from '@nestjs/common';

import { PlatformMetrics } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

/**
 * The registries other libraries report into. Their HTTP surface, `HealthController`, is
 * declared by the app that decides its access (the service platform).
 */
@Module({
  providers: [ReadinessRegistry, PlatformMetrics],
  exports: [ReadinessRegistry, PlatformMetrics],
})
export class ObservabilityModule {}
