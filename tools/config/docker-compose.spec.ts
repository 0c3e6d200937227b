import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { envVariablesOf, TestInfrastructureConfig } from '@implant-trace/platform-config';

import { serviceConfigClasses, workspaceRoot } from './service-config-classes';

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  build?: { context: string; dockerfile?: string; args?: Record<string, string | number> };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}
const compose = parse(readFileSync(join(workspaceRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };

function hostPort(address: string): number {
  return Number(new URL(address.includes('://') ? address : `tcp://${address}`).port);
}

describe('docker-compose.yml agrees with the config classes', () => {
  const classes = serviceConfigClasses();
  const local = new TestInfrastructureConfig();

  it.each(classes.map((c) => [new c().serviceName, c] as const))(
    '%s: same port, schema and known variables, built from the root Dockerfile',
    (serviceName, configClass) => {
      const defaults = new configClass();
      const service = compose.services[serviceName];
      expect(service).toBeDefined();
      expect(service?.ports).toEqual([`${defaults.port}:${defaults.port}`]);
      expect(Number(service?.environment?.['PORT'])).toBe(defaults.port);
      expect(service?.environment?.['DATABASE_SCHEMA']).toBe(defaults.databaseSchema);
      const known = new Set(envVariablesOf(configClass).map((v) => v.name));
      expect(Object.keys(service?.environment ?? {}).filter((name) => !known.has(name))).toEqual(
        [],
      );
      expect(service?.build).toEqual({
        context: '.',
        args: { APP: serviceName, PORT: defaults.port },
      });
      expect(existsSync(join(workspaceRoot, 'apps', serviceName, 'Dockerfile'))).toBe(false);
    },
  );

  it.each(classes.map((c) => [new c().serviceName] as const))(
    '%s: starts only after its own migration step has completed, from the same image and settings',
    (serviceName) => {
      const service = compose.services[serviceName];
      const migration = compose.services[`${serviceName}-migrate`];
      expect(service?.depends_on?.[`${serviceName}-migrate`]).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(migration?.command).toEqual(['node', '--enable-source-maps', 'dist/migrate.js']);
      expect(migration?.image).toBe(service?.image);
      expect(migration?.build).toEqual(service?.build);
      expect(migration?.environment).toEqual(service?.environment);
    },
  );

  it('runs theatre-web from the root Dockerfile on its port, with the production page and known variables, on request', () => {
    // An app, so found at run time as the deploy checks find it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an app, found at run time
    const { TheatreWebServerConfig } = require(
      join(workspaceRoot, 'apps', 'theatre-web', 'src', 'server', 'theatre-web-server.config.ts'),
    ) as { TheatreWebServerConfig: new () => { port: number } };
    const service = compose.services['theatre-web'];
    const { port } = new TheatreWebServerConfig();
    expect(service?.ports).toEqual([`${port}:${port}`]);
    expect(Number(service?.environment?.['PORT'])).toBe(port);
    expect(service?.build).toEqual({ context: '.', args: { APP: 'theatre-web', PORT: port } });
    // Where the image holds the page (tools/build/build-app.ts builds it into public/).
    expect(service?.environment?.['THEATRE_WEB_STATIC_DIR']).toBe('dist/public');
    expect(service?.environment?.['NODE_ENV']).toBe('production');
    const known = new Set(envVariablesOf(TheatreWebServerConfig).map((v) => v.name));
    expect(Object.keys(service?.environment ?? {}).filter((name) => !known.has(name))).toEqual([]);
    // It needs an OpenID provider, so `docker compose up` alone leaves it out.
    expect(service?.profiles).toEqual(['theatre-web']);
  });

  it('publishes the servers on the ports the local setup uses', () => {
    expect(compose.services['postgres']?.ports).toEqual([`${hostPort(local.databaseUrl)}:5432`]);
    expect(compose.services['redis']?.ports).toEqual([`${hostPort(local.redisUrl)}:6379`]);
    expect(compose.services['kafka']?.ports).toEqual([
      `${hostPort(local.kafkaBrokers[0] ?? '')}:9092`,
    ]);
  });

  it('runs every service image on Node 24 as a non-root user, with production dependencies only and a health check', () => {
    const dockerfile = readFileSync(join(workspaceRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM .*$/gm)).toEqual([
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS runtime',
    ]);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*/m);
    expect(runtime).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/main.js"\]$/m);
    expect(dockerfile).not.toContain('@swc-node/register apps');
  });
});
