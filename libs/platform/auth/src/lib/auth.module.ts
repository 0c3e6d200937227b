import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';

import { AccessGuard, TOKEN_VERIFIER } from './access.guard';
import { AUDIT_REQUIRED, AuditInterceptor } from './audit.interceptor';
import type { AuditHeadExportOptions } from './audit-head-exporter.util';
import { AUDIT_HEAD_EXPORT, AuditHeadExporter } from './audit-head-exporter.util';
import { CreateAuditLog1767225600000 } from './audit-log.migration';
import { ServiceRolePrivileges1767225600030 } from './service-role-privileges.migration';
import { AuditTrailRepository } from './audit-trail.repository';
import { PatientDataInterceptor } from './patient-data.interceptor';
import type { TokenVerifierOptions } from './token-verifier.util';
import { createTokenVerifier } from './token-verifier.util';

/**
 * Migrations a service adds to its DatabaseModule so its schema holds the audit trail and
 * grants its login role what it needs, and no more.
 */
export const AUDIT_MIGRATIONS = [CreateAuditLog1767225600000, ServiceRolePrivileges1767225600030];

export interface AuthModuleOptions extends TokenVerifierOptions {
  /** Withhold responses of `@Audited` routes when their audit entry cannot be written. */
  auditRequired: boolean;
  /** How often, and with which key, the audit chain's head is exported to the log. */
  auditHeadExport: AuditHeadExportOptions;
}

/**
 * Bearer-token authentication and role/hospital authorisation on every route (global guard),
 * the regulator patient-data barrier and the audit trail. Needs a global `DataSource`. The
 * two interceptors are exported, not registered: the app registers every global interceptor
 * in one ordered list (ServicePlatformModule), since their order decides what a replay skips.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(options) },
        { provide: AUDIT_REQUIRED, useValue: options.auditRequired },
        { provide: AUDIT_HEAD_EXPORT, useValue: options.auditHeadExport },
        AuditTrailRepository,
        AuditHeadExporter,
        { provide: APP_GUARD, useClass: AccessGuard },
        PatientDataInterceptor,
        AuditInterceptor,
      ],
      exports: [AuditTrailRepository, TOKEN_VERIFIER, PatientDataInterceptor, AuditInterceptor],
    };
  }
}
