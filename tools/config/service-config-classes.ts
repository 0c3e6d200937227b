import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ServiceConfigBase } from '@implant-trace/platform-config';

export type ServiceConfigClass = new () => ServiceConfigBase;

export const workspaceRoot = join(__dirname, '..', '..');

function isServiceConfigClass(value: unknown): value is ServiceConfigClass {
  return typeof value === 'function' && value.prototype instanceof ServiceConfigBase;
}

/**
 * Every service's config class, in port order. Each lives with its service
 * (`apps/<service>/src/<service>.config.ts`) and Nx forbids importing an app, so the tools find
 * them the way `npm start` finds the services: by that convention, at run time.
 */
export function serviceConfigClasses(): ServiceConfigClass[] {
  const appsDir = join(workspaceRoot, 'apps');
  const files = readdirSync(appsDir)
    .map((app) => join(appsDir, app, 'src', `${app}.config.ts`))
    .filter((file) => existsSync(file));
  const classes = files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- found at run time, see above
    const exports = require(file) as Record<string, unknown>;
    const found = Object.values(exports).filter(isServiceConfigClass);
    if (found.length !== 1) throw new Error(`${file} must export exactly one service config class`);
    return found[0] as ServiceConfigClass;
  });
  return classes.sort((a, b) => new a().port - new b().port);
}
