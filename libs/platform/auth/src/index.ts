export { HospitalScoped, Public, Roles } from './lib/access.decorator';
export { AccessGuard, routeAccessOf } from './lib/access.guard';
export {
  decideAccess,
  type AccessDecision,
  type HospitalScope,
  type RouteAccess,
} from './lib/access.policy';
export { AUDIT_MIGRATIONS, AuthModule, type AuthModuleOptions } from './lib/auth.module';
export { AuditInterceptor } from './lib/audit.interceptor';
export { PatientDataInterceptor } from './lib/patient-data.interceptor';
export {
  anchorOfAuditHeadExport,
  auditHeadExport,
  GENESIS_HASH,
  verifyAuditChain,
  type AuditHeadExport,
  type AuditChainProblem,
  type AuditChainReport,
  type AuditEntry,
  type AuditRecord,
} from './lib/audit-chain.util';
export { APPLICATION_DB_ROLE, CreateAuditLog1767225600000 } from './lib/audit-log.migration';
export { ServiceRolePrivileges1767225600030 } from './lib/service-role-privileges.migration';
export { AUDIT_HEAD_LOG_MESSAGE } from './lib/audit-head-exporter.util';
export { AuditTrailRepository } from './lib/audit-trail.repository';
export { Audited, type AuditedRoute } from './lib/audited.decorator';
export {
  runAuthorisationMatrix,
  type AuthorisationMatrixOptions,
  type MatrixCall,
  type MatrixResult,
  type RouteExpectation,
} from './lib/authorisation-matrix.util';
export { CurrentPrincipal } from './lib/current-principal.decorator';
export { assertOwnHospital, hospitalFilterFor } from './lib/hospital-scope.util';
export {
  findPatientIdentifiers,
  MASKED_NHS_NUMBER,
  maskNhsNumbersInText,
  normalisedFieldName,
} from './lib/patient-identifiers.util';
export { InvalidClaimsError, principalFromClaims, type Principal } from './lib/principal.util';
export { principalOf, type RequestWithPrincipal } from './lib/request-principal.util';
export {
  REGULATOR_FACING,
  RegulatorFacing,
  type PatientFieldPaths,
} from './lib/regulator-facing.decorator';
export {
  HOSPITAL_SCOPED_ROLES,
  isHospitalScopedRole,
  isRole,
  ROLES,
  type Role,
} from './lib/role.util';
export {
  listRoutes,
  regulatorRoutesNotRegulatorFacing,
  routesWithoutAccessDecision,
  type RouteDescription,
} from './lib/route-inventory.util';
export { mintDevelopmentToken, type DevelopmentTokenOptions } from './lib/token-minting.util';
export {
  parseDevelopmentTokenRequest,
  type DevelopmentTokenRequest,
} from './lib/token-request.util';
export {
  createTokenVerifier,
  InvalidTokenError,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './lib/token-verifier.util';
