import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { TOPICS } from '@implant-trace/contracts';

import { workspaceRoot } from '../config/service-config-classes';
import { deployedApps } from './deployed-apps';
import type { KubernetesObject } from './kustomize-build';
import { kustomizationsUnder, kustomizeBuild, strategicMerge } from './kustomize-build';
import { appProblems, environmentOf, schemaProblems } from './manifest-checks';

const deployDir = join(workspaceRoot, 'deploy');
const kustomizations = kustomizationsUnder(deployDir).map((dir) => relative(workspaceRoot, dir));
const builds = new Map(
  kustomizations.map((dir) => [dir, kustomizeBuild(join(workspaceRoot, dir))]),
);
const apps = deployedApps();
const production = builds.get('deploy/overlays/production') ?? [];

type Container = Parameters<typeof environmentOf>[0];
type Workload = KubernetesObject & {
  spec: { replicas?: number; template: { spec: { containers: Container[] } } };
};

function workloads(objects: readonly KubernetesObject[]): Workload[] {
  return objects.filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'Job');
}

function containersOf(objects: readonly KubernetesObject[]): Container[] {
  return workloads(objects).flatMap((w) => w.spec.template.spec.containers);
}

/** A copy of `objects` with `change` applied to the object of that kind and name. */
function edited(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
  change: (object: Record<string, any>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any -- test surgery on YAML
): KubernetesObject[] {
  const copy = structuredClone(objects) as KubernetesObject[];
  const target = copy.find((o) => o.kind === kind && o.metadata.name === name);
  if (target === undefined) throw new Error(`no ${kind} ${name}`);
  change(target);
  return copy;
}

function app(name: string) {
  const found = apps.find((a) => a.name === name);
  if (found === undefined) throw new Error(`no app ${name}`);
  return found;
}

describe('deploy/ kustomizations', () => {
  it('are the base and the production overlay', () => {
    expect(kustomizations).toEqual(['deploy/base', 'deploy/overlays/production']);
  });

  it.each(kustomizations)('%s: every object is valid against the Kubernetes schemas', (dir) => {
    expect(schemaProblems(builds.get(dir) ?? [])).toEqual([]);
  });

  it.each(kustomizations.flatMap((dir) => apps.map((a) => [dir, a.name] as const)))(
    '%s: %s runs as its code expects (ports, probes, variables, migration Job, security)',
    async (dir, name) => {
      expect(await appProblems(builds.get(dir) ?? [], app(name))).toEqual([]);
    },
  );

  it.each(kustomizations)('%s: theatre-web proxies to the services’ Services', (dir) => {
    const objects = builds.get(dir) ?? [];
    const [container] =
      workloads(objects).find((w) => w.metadata.name === 'theatre-web')?.spec.template.spec
        .containers ?? [];
    const { sources } = environmentOf(container as Container, objects);
    for (const service of apps.filter((a) => a.migrates)) {
      const variable = `${service.name.toUpperCase().replace(/-/g, '_')}_URL`;
      const port = (new service.configClass() as { port: number }).port;
      expect([variable, sources.get(variable)]).toEqual([
        variable,
        { from: 'configMap', value: `http://${service.name}:${port}` },
      ]);
    }
  });

  it.each(kustomizations)(
    '%s: every Secret key read has a line in its deploy/secrets template',
    (dir) => {
      const referenced = new Map<string, Set<string>>();
      for (const container of containersOf(builds.get(dir) ?? [])) {
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref === undefined) continue;
          referenced.set(ref.name, (referenced.get(ref.name) ?? new Set()).add(ref.key));
        }
      }
      const templates = readdirSync(join(deployDir, 'secrets')).filter((f) =>
        f.endsWith('.env.template'),
      );
      const templateKeys = new Map(
        templates.map((file) => [
          `${file.replace(/\.env\.template$/, '')}-secrets`,
          readFileSync(join(deployDir, 'secrets', file), 'utf8')
            .split('\n')
            .filter((line) => /^[A-Z_]+=$/.test(line))
            .map((line) => line.slice(0, -1)),
        ]),
      );
      for (const [secret, keys] of referenced) {
        expect([
          secret,
          [...keys].filter((key) => !templateKeys.get(secret)?.includes(key)),
        ]).toEqual([secret, []]);
      }
      if (dir === 'deploy/overlays/production') {
        // Production reads every key a template asks for: a template holds no leftovers.
        for (const [secret, keys] of templateKeys)
          expect([secret, [...(referenced.get(secret) ?? [])].sort()]).toEqual([
            secret,
            [...keys].sort(),
          ]);
      }
    },
  );
});

describe('deploy/overlays/production', () => {
  const configMaps = production.filter((o) => o.kind === 'ConfigMap') as (KubernetesObject & {
    data: Record<string, string>;
  })[];
  const serviceConfigs = configMaps.filter((c) => c.metadata.name !== 'theatre-web-config');

  it('verifies tokens against the identity provider’s JWKS only, never HS256', () => {
    for (const { data, metadata } of serviceConfigs) {
      expect([metadata.name, data['AUTH_JWKS_URL']?.startsWith('https://')]).toEqual([
        metadata.name,
        true,
      ]);
    }
    const names = containersOf(production).flatMap((c) => [...(c.env ?? []).map((v) => v.name)]);
    const everywhere = [...names, ...configMaps.flatMap((c) => Object.keys(c.data))];
    expect(
      everywhere.filter((n) => n === 'AUTH_JWT_SECRET' || n === 'AUTH_HS256_IN_PRODUCTION'),
    ).toEqual([]);
  });

  it('reaches Kafka over TLS with SCRAM, refuses NHS test numbers and signs in with OpenID Connect', () => {
    for (const { data, metadata } of serviceConfigs) {
      expect([metadata.name, data['KAFKA_SSL'], data['KAFKA_SASL_MECHANISM']]).toEqual([
        metadata.name,
        'true',
        'SCRAM-SHA-512',
      ]);
    }
    expect(
      configMaps.find((c) => c.metadata.name === 'implant-events-config')?.data[
        'NHS_NUMBER_POLICY'
      ],
    ).toBe('refuse-test-numbers');
    expect(
      configMaps.find((c) => c.metadata.name === 'theatre-web-config')?.data['THEATRE_WEB_SIGN_IN'],
    ).toBe('oidc');
  });

  it('runs released images by tag, in its own namespace', () => {
    for (const container of containersOf(production)) {
      expect(container.image).toMatch(/^[a-z0-9.-]+\/implant-trace\/[a-z-]+:\d+\.\d+\.\d+$/);
    }
    expect(production.filter((o) => o.metadata.namespace !== 'implant-trace')).toEqual([]);
  });

  it('runs every consumer several times, never more than the widest topic has partitions', () => {
    const widest = Math.max(...TOPICS.map((t) => t.partitions));
    for (const name of ['implant-events', 'recall-matching', 'notifications']) {
      const replicas =
        workloads(production).find((w) => w.kind === 'Deployment' && w.metadata.name === name)?.spec
          .replicas ?? 1;
      expect([name, replicas >= 2 && replicas <= widest]).toEqual([name, true]);
    }
  });
});

describe('the checks report a broken manifest', () => {
  const registry = app('device-registry');

  it('a required variable left out', async () => {
    const broken = edited(production, 'ConfigMap', 'device-registry-config', (c) => {
      delete c['data'].AUTH_JWKS_URL;
    });
    expect(await appProblems(broken, registry)).toContainEqual(
      expect.stringMatching(/^Deployment device-registry: AUTH_JWKS_URL: .*required in production/),
    );
  });

  it('a required variable from a Secret key marked optional, which may be missing', async () => {
    const broken = edited(production, 'Deployment', 'device-registry', (d) => {
      const password = d['spec'].template.spec.containers[0].env.find(
        (v: { name: string }) => v.name === 'KAFKA_SASL_PASSWORD',
      );
      password.valueFrom.secretKeyRef.optional = true;
    });
    expect(await appProblems(broken, registry)).toEqual([
      'Deployment device-registry: KAFKA_SASL_PASSWORD: KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM',
      "Job device-registry-migrate: its environment differs from the service's (beyond DATABASE_MIGRATION_URL)",
    ]);
  });

  it('a wrong port', async () => {
    const broken = edited(production, 'Deployment', 'device-registry', (d) => {
      d['spec'].template.spec.containers[0].ports[0].containerPort = 3999;
    });
    expect(await appProblems(broken, registry)).toEqual(
      expect.arrayContaining([
        "Deployment device-registry: container port http is 3999, the service's PORT default is 3001",
        'Deployment device-registry: the readiness probe asks another port than 3001',
        'Service device-registry: port and target port must both be 3001',
      ]),
    );
  });

  it('a variable the config class does not know, and a secret in a ConfigMap', async () => {
    const broken = edited(production, 'ConfigMap', 'device-registry-config', (c) => {
      c['data'].DATABASE_POOL = '20';
      c['data'].REDIS_URL = 'redis://redis:6379';
    });
    expect(await appProblems(broken, registry)).toEqual(
      expect.arrayContaining([
        'Deployment device-registry: DATABASE_POOL is set but DeviceRegistryConfig has no such variable',
        'Deployment device-registry: REDIS_URL is a secret but comes from a ConfigMap or a literal value',
      ]),
    );
  });

  it('a probe on a path the service does not serve, here and on the page server', async () => {
    const broken = edited(production, 'Deployment', 'device-registry', (d) => {
      d['spec'].template.spec.containers[0].livenessProbe.httpGet.path = '/healthz';
    });
    expect(await appProblems(broken, registry)).toEqual([
      'Deployment device-registry: the liveness probe asks /healthz, which device-registry does not serve',
    ]);
    const web = edited(production, 'Deployment', 'theatre-web', (d) => {
      d['spec'].template.spec.containers[0].readinessProbe.httpGet.path = '/ready';
    });
    expect(await appProblems(web, app('theatre-web'))).toEqual([
      'Deployment theatre-web: the readiness probe asks /ready, which theatre-web does not serve',
    ]);
  });

  it('a migration Job that is not the service’s migration step, or a service given the owner', async () => {
    const broken = edited(production, 'Job', 'device-registry-migrate', (j) => {
      j['spec'].template.spec.containers[0].command = ['node', 'dist/main.js'];
    });
    const owner = edited(broken, 'Deployment', 'device-registry', (d) => {
      d['spec'].template.spec.containers[0].env.push({
        name: 'DATABASE_MIGRATION_URL',
        valueFrom: {
          secretKeyRef: { name: 'device-registry-secrets', key: 'DATABASE_MIGRATION_URL' },
        },
      });
    });
    expect(await appProblems(owner, registry)).toEqual(
      expect.arrayContaining([
        "Deployment device-registry: only the migration Job gets the schema owner's DATABASE_MIGRATION_URL",
        "Job device-registry-migrate: must run the image's migration step, node --enable-source-maps dist/migrate.js",
      ]),
    );
  });

  it('a container that may run as root or write its root file system', async () => {
    const broken = edited(production, 'Deployment', 'device-registry', (d) => {
      delete d['spec'].template.spec.securityContext;
      delete d['spec'].template.spec.containers[0].securityContext.readOnlyRootFilesystem;
    });
    expect(await appProblems(broken, registry)).toEqual([
      'Deployment device-registry: the pod must set runAsNonRoot and a numeric non-root runAsUser',
      'Deployment device-registry: device-registry needs readOnlyRootFilesystem',
    ]);
  });

  it('an object the Kubernetes schema refuses', () => {
    const broken = edited(production, 'Deployment', 'device-registry', (d) => {
      d['spec'].replicas = 'two';
    });
    expect(schemaProblems(broken)).toEqual([
      'Deployment device-registry: data/spec/replicas must be integer',
    ]);
  });
});

describe('the deploy loader (kustomize-build.ts)', () => {
  it('merges maps by key and named lists by name, new items first as kustomize does', () => {
    const target = {
      spec: {
        replicas: 1,
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
    };
    const patch = {
      spec: {
        replicas: 3,
        env: [
          { name: 'B', value: '3' },
          { name: 'C', value: '4' },
        ],
      },
    };
    expect(strategicMerge(target, patch)).toEqual({
      spec: {
        replicas: 3,
        env: [
          { name: 'C', value: '4' },
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
        ],
      },
    });
  });

  it('removes a key the patch sets to null, as strategic merge does', () => {
    expect(strategicMerge({ data: { A: '1', B: '2' } }, { data: { A: null } })).toEqual({
      data: { B: '2' },
    });
  });

  it('refuses a list it cannot merge as kustomize would, rather than guess', () => {
    expect(() => strategicMerge({ spec: { args: ['a'] } }, { spec: { args: ['b'] } })).toThrow(
      /patch list \.spec\.args is not one the deploy loader merges/,
    );
  });
});
