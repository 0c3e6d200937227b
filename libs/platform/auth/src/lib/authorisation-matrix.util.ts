import type { INestApplication } from '@nestjs/common';

import type { HospitalScope } from './access.policy';
import type { Role } from './role.util';
import { isHospitalScopedRole, ROLES } from './role.util';
import type { RouteDescription } from './route-inventory.util';
import { listRoutes } from './route-inventory.util';

/** Who a service's test says may call a route, written independently of the decorators. */
export type RouteExpectation =
  { public: true } | { roles: readonly Role[]; hospital?: HospitalScope };

export interface AuthorisationMatrixOptions {
  app: INestApplication;
  /** Where the app listens, e.g. `http://127.0.0.1:49152`. */
  baseUrl: string;
  /** Keyed by `METHOD /path` as `listRoutes` reports them; every route must have one. */
  expectations: Readonly<Record<string, RouteExpectation>>;
  token: (role: Role, ods: string | undefined) => Promise<string>;
  ownOds: string;
  otherOds: string;
  /** Values for path parameters other than the hospital's (default `example`). */
  params?: Readonly<Record<string, string>>;
  /** A body to send with each route (the hospital field is filled in). */
  bodies?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface MatrixCall {
  route: string;
  caller: string;
  expected: 'allowed' | 401 | 403;
  actual: number;
}

export interface MatrixResult {
  calls: number;
  unexpectedRoutes: string[];
  missingRoutes: string[];
  mismatches: MatrixCall[];
}

type Caller = { label: string; role: Role | undefined; target: 'own' | 'other' };

function callers(): Caller[] {
  return [
    { label: 'no token', role: undefined, target: 'own' },
    ...ROLES.flatMap((role) =>
      (['own', 'other'] as const).map((target) => ({
        label: `${role} (${target} hospital)`,
        role,
        target,
      })),
    ),
  ];
}

function expectedOutcome(expectation: RouteExpectation, caller: Caller): MatrixCall['expected'] {
  if ('public' in expectation) return 'allowed';
  if (caller.role === undefined) return 401;
  if (!expectation.roles.includes(caller.role)) return 403;
  const scoped = expectation.hospital !== undefined && isHospitalScopedRole(caller.role);
  return scoped && caller.target === 'other' ? 403 : 'allowed';
}

function requestFor(
  route: RouteDescription,
  expectation: RouteExpectation,
  ods: string,
  options: AuthorisationMatrixOptions,
): { url: string; body: string | undefined } {
  const scope = 'hospital' in expectation ? expectation.hospital : undefined;
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) =>
    encodeURIComponent(name === scope?.param ? ods : (options.params?.[name] ?? 'example')),
  );
  const query = scope?.query === undefined ? '' : `?${new URLSearchParams({ [scope.query]: ods })}`;
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
  const body = {
    ...(options.bodies?.[route.key] ?? {}),
    ...(scope?.body === undefined ? {} : { [scope.body]: ods }),
  };
  return {
    url: `${options.baseUrl}${path}${query}`,
    body: hasBody ? JSON.stringify(body) : undefined,
  };
}

/**
 * Calls every route of the app as every role, against its own and another hospital, with no
 * token too, and reports each call whose outcome differs from the expectation. "Allowed" means
 * the guard let the call through (any status but 401 and 403).
 */
export async function runAuthorisationMatrix(
  options: AuthorisationMatrixOptions,
): Promise<MatrixResult> {
  const routes = listRoutes(options.app);
  const keys = new Set(routes.map((route) => route.key));
  const result: MatrixResult = {
    calls: 0,
    unexpectedRoutes: routes
      .map((route) => route.key)
      .filter((key) => options.expectations[key] === undefined),
    missingRoutes: Object.keys(options.expectations).filter((key) => !keys.has(key)),
    mismatches: [],
  };
  for (const route of routes) {
    const expectation = options.expectations[route.key];
    if (expectation === undefined) continue;
    for (const caller of callers()) {
      const tokenOds =
        caller.role !== undefined && isHospitalScopedRole(caller.role) ? options.ownOds : undefined;
      const targetOds = caller.target === 'own' ? options.ownOds : options.otherOds;
      const { url, body } = requestFor(route, expectation, targetOds, options);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (caller.role !== undefined)
        headers['authorization'] = `Bearer ${await options.token(caller.role, tokenOds)}`;
      const response = await fetch(url, {
        method: route.method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      await response.arrayBuffer();
      result.calls++;
      const expected = expectedOutcome(expectation, caller);
      const matches =
        expected === 'allowed'
          ? response.status !== 401 && response.status !== 403
          : response.status === expected;
      if (!matches)
        result.mismatches.push({
          route: route.key,
          caller: caller.label,
          expected,
          actual: response.status,
        });
    }
  }
  return result;
}
