export { HealthController } from './lib/health.controller';
export { createLogger, type LoggerOptions } from './lib/logger.factory';
export { PlatformMetrics } from './lib/metrics.registry';
export { PinoNestLogger } from './lib/nest-logger.adapter';
export { maskNhsNumbersDeep, maskNhsNumbersIn } from './lib/nhs-number-masking.util';
export { ObservabilityModule } from './lib/observability.module';
export { dropKafkajsTimerWarning, isKafkajsTimerWarning } from './lib/process-warnings.util';
export { serveOpenApi } from './lib/openapi.util';
export {
  HEALTH_ANSWERS_WITHIN_MS,
  ReadinessRegistry,
  type CheckResult,
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessDegradation,
  type ReadinessReport,
} from './lib/readiness.registry';
export {
  acceptableId,
  currentRequestContext,
  runWithRequestContext,
  type RequestContext,
} from './lib/request-context.util';
export { requestObservability } from './lib/request-observability.middleware';
export { withinDeadline } from './lib/within-deadline.util';
