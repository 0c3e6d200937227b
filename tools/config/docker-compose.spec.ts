import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { envVariablesOf, TestInfrastructureConfig } from '@implant-trace/platform-config';

import { serviceConfigClasses, workspaceRoot } from './service-config-classes';

interface ComposeService {
  ports?: string[];
  environment?: Record<string, string | number>;
  build?: { dockerfile: string };
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
    '%s: same port, schema and known variables, built from its own Dockerfile',
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
      expect(service?.build?.dockerfile).toBe(`apps/${serviceName}/Dockerfile`);
      expect(existsSync(join(workspaceRoot, service?.build?.dockerfile ?? 'missing'))).toBe(true);
    },
  );

  it('publishes the servers on the ports the local setup uses', () => {
    expect(compose.services['postgres']?.ports).toEqual([`${hostPort(local.databaseUrl)}:5432`]);
    expect(compose.services['redis']?.ports).toEqual([`${hostPort(local.redisUrl)}:6379`]);
    expect(compose.services['kafka']?.ports).toEqual([
      `${hostPort(local.kafkaBrokers[0] ?? '')}:9092`,
    ]);
  });

  it('runs Node 24 in every service image', () => {
    for (const configClass of classes) {
      const { serviceName } = new configClass();
      const dockerfile = readFileSync(
        join(workspaceRoot, `apps/${serviceName}/Dockerfile`),
        'utf8',
      );
      expect(dockerfile).toMatch(/^FROM node:24[-.]/m);
    }
  });
});
