import { SignJWT } from 'jose';

import type { Role } from './role.util';

export interface DevelopmentTokenOptions {
  secret: string;
  role: Role;
  ods?: string;
  sub?: string;
  issuer: string;
  audience: string;
  /** Lifetime in seconds; negative mints an already expired token (tests). */
  expiresInSeconds?: number;
}

/** An HS256 token as the development identity provider would issue it (tests, dev-token). */
export async function mintDevelopmentToken(options: DevelopmentTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims =
    options.ods === undefined ? { role: options.role } : { role: options.role, ods: options.ods };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(
      options.sub ?? `dev-${options.role}${options.ods === undefined ? '' : `-${options.ods}`}`,
    )
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(options.secret));
}
