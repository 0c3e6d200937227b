import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { ServiceConfigBase } from '@implant-trace/platform-config';
import { ServicePlatformModule } from '@implant-trace/platform-http';

import { serviceConfigClasses, workspaceRoot } from '../config/service-config-classes';
import type { DeployedApp } from './manifest-checks';

type Controller = abstract new (...args: never[]) => object;

function joinPaths(...parts: string[]): string {
  return `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** The GET paths of a controller, its inherited handlers included. */
function getPathsOf(controller: Controller): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
  const paths: string[] = [];
  for (
    let proto: unknown = controller.prototype;
    proto !== Object.prototype && proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const handler = (proto as Record<string, unknown>)[key];
      if (typeof handler !== 'function' || key === 'constructor') continue;
      const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      if (
        path !== undefined &&
        Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.GET
      ) {
        paths.push(joinPaths(base, String(path)));
      }
    }
  }
  return paths;
}

/**
 * The paths every service serves without a token: those of the platform module that
 * `createServiceApp` builds each service's app from (`/health`, `/metrics`). Read from the
 * Nest route metadata, so a renamed or removed route fails the probe check.
 */
function platformGetPaths(config: ServiceConfigBase): string[] {
  const module = ServicePlatformModule.forRoot({ config });
  return (module.controllers ?? []).flatMap((controller) => getPathsOf(controller as Controller));
}

function statusOf(server: Server, path: string): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', reject);
    call.end();
  });
}

/**
 * The page server, found as the service config classes are (an app, so not importable): it is
 * started on a free loopback port and asked, since its routes are not Nest metadata.
 */
function theatreWeb(): DeployedApp {
  const server = join(workspaceRoot, 'apps', 'theatre-web', 'src', 'server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an app, found at run time
  const { TheatreWebServerConfig } = require(join(server, 'theatre-web-server.config.ts')) as {
    TheatreWebServerConfig: new () => object;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an app, found at run time
  const { createWebServer } = require(join(server, 'web-server.ts')) as {
    createWebServer(config: object): Server;
  };
  return {
    name: 'theatre-web',
    configClass: TheatreWebServerConfig,
    migrates: false,
    async serves(config, path) {
      const web = createWebServer(config);
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      try {
        const status = await statusOf(web, path);
        return status >= 200 && status < 300;
      } finally {
        await new Promise((resolve) => web.close(resolve));
      }
    },
  };
}

/** Every app deploy/ runs: the four services, then theatre-web. */
export function deployedApps(): DeployedApp[] {
  const services = serviceConfigClasses().map((configClass): DeployedApp => ({
    name: new configClass().serviceName,
    configClass,
    migrates: true,
    serves: (config, path) =>
      Promise.resolve(platformGetPaths(config as ServiceConfigBase).includes(path)),
  }));
  return [...services, theatreWeb()];
}
