export const ROLES = ['theatre', 'regulator', 'hospital-system', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose tokens belong to one hospital and may only touch that hospital's records. */
export const HOSPITAL_SCOPED_ROLES: readonly Role[] = ['theatre', 'hospital-system'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isHospitalScopedRole(role: Role): boolean {
  return HOSPITAL_SCOPED_ROLES.includes(role);
}
