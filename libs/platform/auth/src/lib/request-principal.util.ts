import type { Principal } from './principal.util';

/** What the guard attaches to a request once its token is verified. */
export interface RequestWithPrincipal {
  principal?: Principal;
}

export function principalOf(request: unknown): Principal | undefined {
  return (request as RequestWithPrincipal).principal;
}
