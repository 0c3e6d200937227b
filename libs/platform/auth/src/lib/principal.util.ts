import { isOdsCodeShape } from '@implant-trace/identifiers';

import type { Role } from './role.util';
import { isHospitalScopedRole, isRole } from './role.util';

/** Who is calling, as proven by a verified token. */
export interface Principal {
  sub: string;
  role: Role;
  /** The hospital's ODS code; always present for theatre and hospital-system tokens. */
  ods?: string;
}

export class InvalidClaimsError extends Error {
  override readonly name = 'InvalidClaimsError';
}

/**
 * The principal a verified token's claims describe. A scoped role without a well-formed ODS
 * code is refused rather than treated as unscoped, which would open every hospital to it.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { sub, role, ods } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') throw new InvalidClaimsError('sub is missing');
  if (!isRole(role)) throw new InvalidClaimsError('role is missing or unknown');
  if (ods !== undefined && (typeof ods !== 'string' || !isOdsCodeShape(ods))) {
    throw new InvalidClaimsError('ods is not an ODS code');
  }
  if (isHospitalScopedRole(role) && ods === undefined) {
    throw new InvalidClaimsError(`a ${role} token must carry its hospital's ods`);
  }
  return ods === undefined ? { sub, role } : { sub, role, ods };
}
