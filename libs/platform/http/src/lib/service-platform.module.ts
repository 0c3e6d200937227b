import type {
  DynamicModule,
  ModuleMetadata,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Inject, Injectable, Module, Optional } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger as PinoLogger } from 'pino';
import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';

import {
  AUDIT_MIGRATIONS,
  AuditInterceptor,
  AuthModule,
  PatientDataInterceptor,
} from '@implant-trace/platform-auth';
import type { RedisConnection } from '@implant-trace/platform-cache';
import { connectRedis } from '@implant-trace/platform-cache';
import type { ServiceConfigBase } from '@implant-trace/platform-config';
import type { SchemaDataSourceOptions } from '@implant-trace/platform-database';
import { DatabaseModule } from '@implant-trace/platform-database';
import { InboxTransport } from '@implant-trace/platform-messaging';
import { ObservabilityModule, ReadinessRegistry } from '@implant-trace/platform-observability';

import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyKeyLeases1767225600020 } from './idempotency-key-leases.migration';
import { IdempotencyKeyPurger } from './idempotency-key-purger.util';
import { CreateIdempotencyKeys1767225600001 } from './idempotency-keys.migration';
import { OperationsController } from './operations.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import type { RateLimit } from './rate-limit.policy';
import { RATE_LIMIT, RateLimitInterceptor } from './rate-limit.interceptor';
import { RateLimiter } from './rate-limiter';
import { IDEMPOTENCY_OPTIONS, REDIS_CONNECTION, SERVICE_NAME } from './service-platform.tokens';

/** Migrations of the platform tables every service schema holds (audit trail, idempotency keys). */
export const PLATFORM_MIGRATIONS = [
  ...AUDIT_MIGRATIONS,
  CreateIdempotencyKeys1767225600001,
  IdempotencyKeyLeases1767225600020,
];

export interface ServicePlatformOptions {
  config: ServiceConfigBase;
  /** The service's feature modules. */
  imports?: ModuleMetadata['imports'];
  entities?: SchemaDataSourceOptions['entities'];
  /** The service's own migrations; the platform's run first. */
  migrations?: (new () => MigrationInterface)[];
  /** Apply migrations at start-up (default: outside production). */
  migrate?: boolean;
  /** The per-token limit; by default HTTP_RATE_LIMIT_PER_TOKEN a minute. */
  rateLimit?: RateLimit;
  /** The service's JSON logger, for libraries that log outside Nest's logger (TypeORM). */
  logger?: PinoLogger;
}

@Injectable()
class PlatformReadinessChecks implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    this.readiness.register(
      'cache',
      async () => {
        await this.redis.ping();
      },
      { essential: false },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close();
  }
}

/** The event transport of the messaging library, when the service's modules include it. */
@Injectable()
export class ServiceEventTransport {
  constructor(@Optional() @Inject(InboxTransport) readonly inbox: InboxTransport | undefined) {}
}

/** Everything every service's HTTP surface shares, assembled once. */
@Module({})
export class ServicePlatformModule {
  static forRoot(options: ServicePlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServicePlatformModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.databaseUrl,
          ...(config.databaseMigrationUrl === undefined
            ? {}
            : { migrationUrl: config.databaseMigrationUrl }),
          schema: config.databaseSchema,
          poolSize: config.databasePoolSize,
          ...(options.logger === undefined ? {} : { logger: options.logger }),
          sessionTimeouts: {
            statementTimeoutMs: config.databaseStatementTimeoutMs,
            lockTimeoutMs: config.databaseLockTimeoutMs,
            idleInTransactionTimeoutMs: config.databaseIdleInTransactionTimeoutMs,
          },
          applicationName: config.serviceName,
          entities: options.entities ?? [],
          migrations: [...PLATFORM_MIGRATIONS, ...(options.migrations ?? [])],
          migrate: options.migrate ?? config.environment !== 'production',
        }),
        AuthModule.forRoot({
          ...(config.authJwksUrl === undefined ? {} : { jwksUrl: config.authJwksUrl }),
          ...(config.authJwtSecret === undefined ? {} : { secret: config.authJwtSecret }),
          issuer: config.authIssuer,
          audience: config.authAudience,
          auditRequired: config.auditRequired,
          auditHeadExport: {
            intervalSeconds: config.auditHeadExportIntervalSeconds,
            key: config.auditHeadHmacKey,
          },
        }),
        ObservabilityModule,
        ...(options.imports ?? []),
      ],
      controllers: [OperationsController],
      providers: [
        { provide: SERVICE_NAME, useValue: config.serviceName },
        {
          provide: RATE_LIMIT,
          useValue: options.rateLimit ?? { limit: config.httpRateLimitPerToken, windowSeconds: 60 },
        },
        {
          provide: REDIS_CONNECTION,
          useFactory: () =>
            connectRedis(config.redisUrl, {
              clientName: config.serviceName,
              commandTimeoutMs: config.redisCommandTimeoutMs,
            }),
        },
        RateLimiter,
        {
          provide: IDEMPOTENCY_OPTIONS,
          useValue: {
            leaseSeconds: config.idempotencyLeaseSeconds,
            retentionSeconds: config.idempotencyRetentionSeconds,
            purgeIntervalSeconds: config.idempotencyPurgeIntervalSeconds,
          },
        },
        PlatformReadinessChecks,
        ServiceEventTransport,
        IdempotencyKeyRepository,
        IdempotencyKeyPurger,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Every global interceptor, outermost first, in one place: a replay answered by the
        // idempotency interceptor still passes the regulator check and is audited.
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
        { provide: APP_INTERCEPTOR, useExisting: PatientDataInterceptor },
        { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [REDIS_CONNECTION, SERVICE_NAME, ObservabilityModule],
    };
  }
}
