import type { JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import type { Principal } from './principal.util';
import { principalFromClaims } from './principal.util';

export interface TokenVerifierOptions {
  /** HS256 shared secret (development and tests). */
  secret?: string;
  /** JWKS URL for RS256/ES256 tokens (production). Takes precedence over `secret`. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Skew allowed between the issuer's clock and ours when checking exp and nbf. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies a bearer token and returns its principal. The accepted algorithms are pinned per
 * key source, so `alg: none` and algorithm-confusion tokens (an RS256 public key used as an
 * HS256 secret) are refused; exp, iss and aud are mandatory.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const verify = keyedVerify(options);
  return async (token) => {
    let claims: Record<string, unknown>;
    try {
      claims = await verify(token);
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
    }
    try {
      return principalFromClaims(claims);
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid claims');
    }
  };
}

function keyedVerify(
  options: TokenVerifierOptions,
): (token: string) => Promise<Record<string, unknown>> {
  const checks = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'sub'],
  };
  if (options.jwksUrl !== undefined) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUrl));
    return async (token) =>
      (await jwtVerify(token, jwks, { ...checks, algorithms: ['RS256', 'ES256'] })).payload;
  }
  if (options.secret === undefined)
    throw new Error('token verification needs a secret or a JWKS URL');
  const key = new TextEncoder().encode(options.secret);
  return async (token) =>
    (await jwtVerify(token, key, { ...checks, algorithms: ['HS256'] })).payload;
}
