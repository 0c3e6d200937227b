import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

import type { RouteAccess } from './access.policy';
import { routeAccessOf } from './access.guard';
import { REGULATOR_FACING } from './regulator-facing.decorator';

export interface RouteDescription {
  /** `GET /v1/patients/:nhsNumber/implants`: the key authorisation expectations use. */
  key: string;
  method: string;
  path: string;
  controller: string;
  handler: string;
  access: RouteAccess;
  /** Declared `@RegulatorFacing()`: its response type has no patient fields. */
  regulatorFacing: boolean;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .map((part) => (Array.isArray(part) ? (part[0] ?? '') : (part ?? '')))
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}

/**
 * Every HTTP route of a running Nest application, read from the application itself (its
 * controllers' metadata), so nothing added later can be left out of access checks.
 */
export function listRoutes(app: INestApplication): RouteDescription[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  return discovery.getControllers().flatMap((wrapper) => {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (controller === null || typeof controller !== 'function') return [];
    const prototype = controller.prototype as Record<string, unknown>;
    const basePath = Reflect.getMetadata(PATH_METADATA, controller) as
      string | string[] | undefined;
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a controller method
      const handler = prototype[name] as Function;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
        RequestMethod | undefined;
      if (requestMethod === undefined) return [];
      const method = RequestMethod[requestMethod];
      const path = joinPath(
        basePath,
        Reflect.getMetadata(PATH_METADATA, handler) as string | undefined,
      );
      return [
        {
          key: `${method} ${path}`,
          method,
          path,
          controller: controller.name,
          handler: name,
          access: routeAccessOf(reflector, [handler, controller]),
          regulatorFacing: reflector.get<boolean>(REGULATOR_FACING, handler) === true,
        },
      ];
    });
  });
}

/** Routes that are neither `@Public()` nor carry `@Roles(...)`: a service must not start with one. */
export function routesWithoutAccessDecision(app: INestApplication): RouteDescription[] {
  return listRoutes(app).filter(
    (route) => !route.access.isPublic && route.access.roles === undefined,
  );
}

/** Routes a regulator may call whose response type is not declared `@RegulatorFacing()`. */
export function regulatorRoutesNotRegulatorFacing(app: INestApplication): RouteDescription[] {
  return listRoutes(app).filter(
    (route) => route.access.roles?.includes('regulator') === true && !route.regulatorFacing,
  );
}
