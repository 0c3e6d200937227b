export { Idempotent } from './lib/idempotent.decorator';
export { IdempotencyInterceptor } from './lib/idempotency.interceptor';
export {
  IdempotencyKeyRepository,
  IdempotencyLeaseLostError,
  type IdempotencyLease,
} from './lib/idempotency-key.repository';
export { IdempotencyKeyLeases1767225600020 } from './lib/idempotency-key-leases.migration';
export { CreateIdempotencyKeys1767225600001 } from './lib/idempotency-keys.migration';
export {
  decideOnStoredKey,
  requestFingerprint,
  type IdempotencyDecision,
  type StoredIdempotencyKey,
} from './lib/idempotency.policy';
export { ProblemDetailsFilter } from './lib/problem-details.filter';
export {
  fieldErrorsOf,
  PROBLEM_TYPES,
  ProblemException,
  problemFromError,
  type FieldError,
  type ProblemDetails,
} from './lib/problem-details.util';
export { RATE_LIMIT, RateLimitInterceptor } from './lib/rate-limit.interceptor';
export {
  rateWindow,
  retryAfterSeconds,
  type RateLimit,
  type RateWindow,
} from './lib/rate-limit.policy';
export {
  bootstrapService,
  createServiceApp,
  type ServiceAppOptions,
} from './lib/service-app.factory';
export { migrateService, type ServiceSchema } from './lib/service-migration.util';
export {
  PLATFORM_MIGRATIONS,
  ServicePlatformModule,
  type ServicePlatformOptions,
} from './lib/service-platform.module';
export {
  IDEMPOTENCY_OPTIONS,
  REDIS_CONNECTION,
  SERVICE_NAME,
  type IdempotencyOptions,
} from './lib/service-platform.tokens';
export { createValidationPipe } from './lib/validation.pipe';
