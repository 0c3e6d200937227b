import type { CanActivate, ExecutionContext } from '@nestjs/common';
import {
  ForbiddenException,
  Inject,
  Injectable,
  InternalServerErrorException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { HOSPITAL_SCOPE, PUBLIC_ROUTE, ROUTE_ROLES } from './access.decorator';
import type { HospitalScope, RouteAccess } from './access.policy';
import { decideAccess } from './access.policy';
import type { Principal } from './principal.util';
import type { RequestWithPrincipal } from './request-principal.util';
import type { Role } from './role.util';
import type { TokenVerifier } from './token-verifier.util';
import { InvalidTokenError } from './token-verifier.util';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

interface HttpRequestLike extends RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** The access decision declared on a handler, its controller overriding nothing it sets. */
export function routeAccessOf(
  reflector: Reflector,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own target type
  targets: [handler: Function, controller: Function],
): RouteAccess {
  return {
    isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets),
    hospitalScope: reflector.getAllAndOverride<HospitalScope | undefined>(HOSPITAL_SCOPE, targets),
  };
}

function requestedHospitals(scope: HospitalScope | undefined, request: HttpRequestLike): unknown[] {
  if (scope === undefined) return [];
  const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
  return [
    ...(scope.param === undefined ? [] : [request.params?.[scope.param]]),
    ...(scope.body === undefined ? [] : [(body as Record<string, unknown>)[scope.body]]),
    ...(scope.query === undefined ? [] : [request.query?.[scope.query]]),
  ];
}

/** Global guard: every route is protected unless marked `@Public()`. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = routeAccessOf(this.reflector, [context.getHandler(), context.getClass()]);
    if (access.isPublic) return true;
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const decision = decideAccess(
      access,
      principal,
      requestedHospitals(access.hospitalScope, request),
    );
    if (decision.allowed) return true;
    switch (decision.status) {
      case 401:
        throw new UnauthorizedException(decision.reason);
      case 403:
        throw new ForbiddenException(decision.reason);
      case 500:
        throw new InternalServerErrorException(decision.reason);
    }
  }

  private async authenticate(request: HttpRequestLike): Promise<Principal> {
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header) : null;
    if (match?.[1] === undefined) throw new UnauthorizedException('A bearer token is required');
    try {
      return await this.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw new UnauthorizedException('The bearer token is not valid');
      }
      throw error;
    }
  }
}
