import { ForbiddenException } from '@nestjs/common';

import type { Principal } from './principal.util';
import { isHospitalScopedRole } from './role.util';

/**
 * For records loaded by id (the route does not name the hospital): call with the record's
 * hospital before returning or changing it.
 */
export function assertOwnHospital(principal: Principal, recordOds: string): void {
  if (isHospitalScopedRole(principal.role) && principal.ods !== recordOds) {
    throw new ForbiddenException('This record belongs to another hospital');
  }
}

/** The hospital a scoped caller may see; undefined for roles that see every hospital. */
export function hospitalFilterFor(principal: Principal): string | undefined {
  return isHospitalScopedRole(principal.role) ? principal.ods : undefined;
}
