import { applyDecorators, SetMetadata } from '@nestjs/common';

import type { HospitalScope } from './access.policy';
import type { Role } from './role.util';

export const PUBLIC_ROUTE = 'implant-trace:public-route';
export const ROUTE_ROLES = 'implant-trace:route-roles';
export const HOSPITAL_SCOPE = 'implant-trace:hospital-scope';

/** Opens a route to callers without a token (health, metrics). Every use is a reviewed decision. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The roles that may call a route (or every route of a controller). */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ROLES, roles);

/**
 * Confines theatre and hospital-system callers to their own hospital: the ODS code read from
 * the named route parameter, body field or query parameter must be the token's.
 */
export const HospitalScoped = (scope: HospitalScope): MethodDecorator & ClassDecorator => {
  if (scope.param === undefined && scope.body === undefined && scope.query === undefined) {
    throw new Error('HospitalScoped needs a param, body or query field naming the hospital');
  }
  return applyDecorators(SetMetadata(HOSPITAL_SCOPE, scope));
};
