import type { Role } from './role.util';
import type { DevelopmentTokenOptions } from './token-minting.util';
import { principalFromClaims } from './principal.util';
import { isRole, ROLES } from './role.util';

export type DevelopmentTokenRequest = Pick<
  DevelopmentTokenOptions,
  'role' | 'ods' | 'sub' | 'expiresInSeconds'
>;

const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> [--ods RXH01] [--sub someone] [--expires-in seconds]`;

/** Checks the command line the same way the services check a token's claims. */
export function parseDevelopmentTokenRequest(args: {
  role?: string | undefined;
  ods?: string | undefined;
  sub?: string | undefined;
  'expires-in'?: string | undefined;
}): DevelopmentTokenRequest {
  if (!isRole(args.role)) throw new Error(`--role is missing or unknown\n${USAGE}`);
  const role: Role = args.role;
  const sub = args.sub ?? `dev-${role}${args.ods === undefined ? '' : `-${args.ods}`}`;
  try {
    principalFromClaims({ sub, role, ...(args.ods === undefined ? {} : { ods: args.ods }) });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const expiresInSeconds = args['expires-in'] === undefined ? 8 * 3600 : Number(args['expires-in']);
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) {
    throw new Error(`--expires-in must be a positive number of seconds\n${USAGE}`);
  }
  return { role, sub, expiresInSeconds, ...(args.ods === undefined ? {} : { ods: args.ods }) };
}
