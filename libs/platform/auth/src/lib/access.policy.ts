import type { Principal } from './principal.util';
import type { Role } from './role.util';
import { isHospitalScopedRole } from './role.util';

/** Where a hospital-scoped route finds the hospital a request is about. */
export interface HospitalScope {
  param?: string;
  body?: string;
  query?: string;
}

/** The access decision written on a route by `@Public()` or `@Roles()` (+ `@HospitalScoped()`). */
export interface RouteAccess {
  isPublic: boolean;
  roles: readonly Role[] | undefined;
  hospitalScope: HospitalScope | undefined;
}

export type AccessDecision =
  { allowed: true } | { allowed: false; status: 401 | 403 | 500; reason: string };

/**
 * Deny by default: a route without an explicit decision is refused (and flagged by the route
 * inventory check), so forgetting `@Roles` can never make an endpoint open.
 */
export function decideAccess(
  access: RouteAccess,
  principal: Principal | undefined,
  requestedOds: readonly unknown[],
): AccessDecision {
  if (access.isPublic) return { allowed: true };
  if (access.roles === undefined) {
    return { allowed: false, status: 500, reason: 'route has no access decision' };
  }
  if (principal === undefined) return { allowed: false, status: 401, reason: 'no valid token' };
  if (!access.roles.includes(principal.role)) {
    return { allowed: false, status: 403, reason: `role ${principal.role} may not call this` };
  }
  if (access.hospitalScope !== undefined && isHospitalScopedRole(principal.role)) {
    const foreign = requestedOds.some((ods) => ods !== principal.ods);
    if (foreign) return { allowed: false, status: 403, reason: 'another hospital' };
  }
  return { allowed: true };
}
