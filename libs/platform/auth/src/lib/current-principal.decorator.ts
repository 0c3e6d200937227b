import { createParamDecorator, InternalServerErrorException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';

import type { Principal } from './principal.util';
import { principalOf } from './request-principal.util';

/** The verified caller of a protected route. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal === undefined) {
      throw new InternalServerErrorException('CurrentPrincipal used on a public route');
    }
    return principal;
  },
);
