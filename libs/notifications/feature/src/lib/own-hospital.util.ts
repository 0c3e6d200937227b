import type { Principal } from '@implant-trace/platform-auth';

/** Every notifications route is for hospital systems, whose tokens always carry their ods. */
export function ownOds(principal: Principal): string {
  if (principal.ods === undefined) throw new Error(`a ${principal.role} token without its ods`);
  return principal.ods;
}
