// What tools/deploy/manifests.spec.ts checks in a built kustomization, as functions that
// return the problems they find (empty: none), so the spec can also prove that a broken
// manifest is reported.
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';

import type { EnvVariableDefinition } from '@implant-trace/platform-config';
import { ConfigValidationError, envVariablesOf, loadConfig } from '@implant-trace/platform-config';

import type { KubernetesObject } from './kustomize-build';

/** An app as the manifests must run it: its config class and how to ask it for a path. */
export interface DeployedApp {
  name: string;
  configClass: new () => object;
  /** Whether the app, configured as `config`, answers GET `path` with a 2xx (no token). */
  serves(config: object, path: string): Promise<boolean>;
  /** Apps with a database schema have a migration Job. */
  migrates: boolean;
}

const MODELS: Record<string, { validate(object: KubernetesObject): void }> = Object.fromEntries(
  [Deployment, Job, PodDisruptionBudget, ConfigMap, Namespace, Secret, Service].map((Model) => [
    `${Model.apiVersion}/${Model.kind}`,
    { validate: (object: KubernetesObject) => new Model(object as never).validate() },
  ]),
);

/** Every object against the Kubernetes schema of its apiVersion and kind. */
export function schemaProblems(objects: readonly KubernetesObject[]): string[] {
  return objects.flatMap((object) => {
    const what = `${object.kind} ${object.metadata.name}`;
    const model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (model === undefined) return [`${what}: no schema for ${object.apiVersion} ${object.kind}`];
    try {
      model.validate(object);
      return [];
    } catch (error) {
      return [`${what}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/**
 * Well-formed values standing in for what the Secrets hold (the repository holds none), so the
 * config class can validate everything else. A variable read from a Secret with no stand-in
 * here is reported: add one, shaped as the config class wants it.
 */
const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL:
    'postgres://implant_trace_service:s@db.example:5432/implant_trace?sslmode=verify-full',
  DATABASE_MIGRATION_URL: 'postgres://owner:s@db.example:5432/implant_trace?sslmode=verify-full',
  REDIS_URL: 'rediss://:s@redis.example:6380',
  AUDIT_HEAD_HMAC_KEY: 'k'.repeat(64),
  KAFKA_SASL_USERNAME: 'implant-trace',
  KAFKA_SASL_PASSWORD: 'stand-in',
};

type Source =
  | { from: 'value' | 'configMap'; value: string }
  | { from: 'secret'; name: string; key: string; optional: boolean };

interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      configMapKeyRef?: { name: string; key: string };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}

interface Probe {
  httpGet?: { path?: string; port: number | string };
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: {
    containers: Container[];
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  };
}

interface Workload extends KubernetesObject {
  spec: { replicas?: number; template: PodTemplate };
}

function find<T extends KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
) {
  return objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
}

interface EnvironmentSources {
  sources: Map<string, Source>;
  /**
   * Every key read from a ConfigMap, those a secretKeyRef overrides included: a secret written
   * into a ConfigMap is exposed even when the container reads it from the Secret.
   */
  configMapKeys: Set<string>;
}

/** Where each variable of a container comes from, after ConfigMaps are looked up. */
export function environmentOf(
  container: Container,
  objects: readonly KubernetesObject[],
): EnvironmentSources & { problems: string[] } {
  const sources = new Map<string, Source>();
  const configMapKeys = new Set<string>();
  const problems: string[] = [];
  const configMapData = (name: string) => {
    const configMap = find<KubernetesObject & { data?: Record<string, string> }>(
      objects,
      'ConfigMap',
      name,
    );
    if (configMap === undefined) problems.push(`ConfigMap ${name} is referenced but not defined`);
    return configMap?.data ?? {};
  };
  for (const from of container.envFrom ?? []) {
    if (from.secretRef !== undefined) {
      problems.push(
        `envFrom Secret ${from.secretRef.name}: its keys are not in the repository; name each variable with a secretKeyRef`,
      );
    }
    if (from.configMapRef !== undefined) {
      for (const [name, value] of Object.entries(configMapData(from.configMapRef.name))) {
        sources.set(name, { from: 'configMap', value });
        configMapKeys.add(name);
      }
    }
  }
  for (const variable of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    if (secretKeyRef !== undefined) {
      sources.set(variable.name, {
        from: 'secret',
        name: secretKeyRef.name,
        key: secretKeyRef.key,
        optional: secretKeyRef.optional ?? false,
      });
    } else if (configMapKeyRef !== undefined) {
      const value = configMapData(configMapKeyRef.name)[configMapKeyRef.key];
      if (value === undefined)
        problems.push(
          `${variable.name}: ConfigMap ${configMapKeyRef.name} has no key ${configMapKeyRef.key}`,
        );
      else {
        sources.set(variable.name, { from: 'configMap', value });
        configMapKeys.add(variable.name);
      }
    } else {
      sources.set(variable.name, { from: 'value', value: variable.value ?? '' });
    }
  }
  return { sources, configMapKeys, problems };
}

/**
 * The container's environment checked against the config class: every variable known to it,
 * secrets only from Secrets, and the whole config valid (so every variable it requires is
 * there). Returns the loaded config when it loads.
 */
export function environmentProblems(
  what: string,
  { sources, configMapKeys }: EnvironmentSources,
  configClass: new () => object,
): { problems: string[]; config?: object } {
  const variables = new Map<string, EnvVariableDefinition>(
    envVariablesOf(configClass).map((v) => [v.name, v]),
  );
  const problems: string[] = [];
  for (const [name, source] of sources) {
    const variable = variables.get(name);
    if (variable === undefined)
      problems.push(`${what}: ${name} is set but ${configClass.name} has no such variable`);
    else if (variable.secret === true && (source.from !== 'secret' || configMapKeys.has(name)))
      problems.push(`${what}: ${name} is a secret but comes from a ConfigMap or a literal value`);
    if (source.from === 'secret' && SECRET_STAND_INS[name] === undefined)
      problems.push(
        `${what}: ${name} comes from a Secret and has no stand-in value in manifest-checks.ts`,
      );
  }
  const load = (withOptionalSecrets: boolean) => {
    const env: Record<string, string> = {};
    for (const [name, source] of sources) {
      if (source.from !== 'secret') env[name] = source.value;
      else if (withOptionalSecrets || !source.optional) env[name] = SECRET_STAND_INS[name] ?? '';
    }
    try {
      return loadConfig(configClass, env);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      for (const problem of error.problems)
        problems.push(`${what}: ${problem.variable}: ${problem.messages.join('; ')}`);
      return undefined;
    }
  };
  const config = load(true);
  if ([...sources.values()].some((s) => s.from === 'secret' && s.optional)) load(false);
  return config === undefined ? { problems } : { problems, config };
}

function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
) {
  return (
    selector !== undefined &&
    Object.entries(selector).every(([key, value]) => labels?.[key] === value)
  );
}

function securityProblems(what: string, template: PodTemplate): string[] {
  const problems: string[] = [];
  const pod = template.spec.securityContext;
  if (pod?.runAsNonRoot !== true || typeof pod.runAsUser !== 'number' || pod.runAsUser === 0) {
    problems.push(`${what}: the pod must set runAsNonRoot and a numeric non-root runAsUser`);
  }
  for (const container of template.spec.containers) {
    const context = container.securityContext;
    if (context?.readOnlyRootFilesystem !== true)
      problems.push(`${what}: ${container.name} needs readOnlyRootFilesystem`);
    if (context?.allowPrivilegeEscalation !== false)
      problems.push(`${what}: ${container.name} needs allowPrivilegeEscalation: false`);
    if (!(context?.capabilities?.drop ?? []).includes('ALL'))
      problems.push(`${what}: ${container.name} must drop ALL capabilities`);
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined)
          problems.push(`${what}: ${container.name} has no ${resource} ${kind.slice(0, -1)}`);
      }
    }
  }
  return problems;
}

/** One app's Deployment, Service, PodDisruptionBudget and migration Job against its code. */
export async function appProblems(
  objects: readonly KubernetesObject[],
  app: DeployedApp,
): Promise<string[]> {
  const deployment = find<Workload>(objects, 'Deployment', app.name);
  if (deployment === undefined) return [`no Deployment ${app.name}`];
  const problems: string[] = [];
  const what = `Deployment ${app.name}`;
  const template = deployment.spec.template;
  const labels = template.metadata?.labels;
  const container = template.spec.containers.find((c) => c.name === app.name);
  if (container === undefined) return [`${what}: no container named ${app.name}`];
  problems.push(...securityProblems(what, template));

  const env = environmentOf(container, objects);
  problems.push(...env.problems.map((p) => `${what}: ${p}`));
  const loaded = environmentProblems(what, env, app.configClass);
  problems.push(...loaded.problems);
  const config = loaded.config as { port?: number; host?: string } | undefined;

  const defaultPort = (new app.configClass() as { port: number }).port;
  const http = container.ports?.find((p) => p.name === 'http');
  if (http?.containerPort !== defaultPort)
    problems.push(
      `${what}: container port http is ${http?.containerPort}, the service's PORT default is ${defaultPort}`,
    );
  if (config !== undefined && config.port !== defaultPort)
    problems.push(
      `${what}: PORT is ${config.port}, the service's default (and its Service's port) is ${defaultPort}`,
    );
  if (config?.host !== undefined && config.host !== '0.0.0.0')
    problems.push(
      `${what}: HOST is ${config.host}: probes and the Service cannot reach a service on it`,
    );

  for (const [name, probe] of [
    ['readiness', container.readinessProbe],
    ['liveness', container.livenessProbe],
  ] as const) {
    const path = probe?.httpGet?.path;
    if (path === undefined) {
      problems.push(`${what}: no ${name} probe on an HTTP path`);
      continue;
    }
    if (portNumber(container, probe?.httpGet?.port) !== defaultPort)
      problems.push(`${what}: the ${name} probe asks another port than ${defaultPort}`);
    if (config !== undefined && !(await app.serves(config, path)))
      problems.push(`${what}: the ${name} probe asks ${path}, which ${app.name} does not serve`);
  }

  const service = find<
    KubernetesObject & {
      spec: {
        selector?: Record<string, string>;
        ports?: { port: number; targetPort?: number | string }[];
      };
    }
  >(objects, 'Service', app.name);
  if (service === undefined) problems.push(`no Service ${app.name}`);
  else {
    if (!selects(service.spec.selector, labels))
      problems.push(`Service ${app.name} does not select the Deployment's pods`);
    const [port] = service.spec.ports ?? [];
    if (port?.port !== defaultPort || portNumber(container, port.targetPort) !== defaultPort)
      problems.push(`Service ${app.name}: port and target port must both be ${defaultPort}`);
  }
  const budget = find<
    KubernetesObject & { spec: { selector?: { matchLabels?: Record<string, string> } } }
  >(objects, 'PodDisruptionBudget', app.name);
  if (budget === undefined) problems.push(`no PodDisruptionBudget ${app.name}`);
  else if (!selects(budget.spec.selector?.matchLabels, labels))
    problems.push(`PodDisruptionBudget ${app.name} does not select the Deployment's pods`);

  if (env.sources.has('DATABASE_MIGRATION_URL'))
    problems.push(`${what}: only the migration Job gets the schema owner's DATABASE_MIGRATION_URL`);
  if (app.migrates) problems.push(...migrationJobProblems(objects, app, container, env.sources));
  return problems;
}

function migrationJobProblems(
  objects: readonly KubernetesObject[],
  app: DeployedApp,
  serviceContainer: Container,
  serviceEnv: ReadonlyMap<string, Source>,
): string[] {
  const name = `${app.name}-migrate`;
  const job = find<Workload>(objects, 'Job', name);
  if (job === undefined) return [`no migration Job ${name}`];
  const what = `Job ${name}`;
  const problems = securityProblems(what, job.spec.template);
  const [container, ...others] = job.spec.template.spec.containers;
  if (container === undefined || others.length > 0)
    return [...problems, `${what}: needs exactly one container`];
  if (container.image !== serviceContainer.image)
    problems.push(`${what}: runs ${container.image}, the service runs ${serviceContainer.image}`);
  if (
    JSON.stringify(container.command) !==
    JSON.stringify(['node', '--enable-source-maps', 'dist/migrate.js'])
  ) {
    problems.push(
      `${what}: must run the image's migration step, node --enable-source-maps dist/migrate.js`,
    );
  }
  if (!['Never', 'OnFailure'].includes(job.spec.template.spec.restartPolicy ?? ''))
    problems.push(`${what}: restartPolicy must be Never or OnFailure`);
  const env = environmentOf(container, objects);
  problems.push(...env.problems.map((p) => `${what}: ${p}`));
  const migrationUrl = env.sources.get('DATABASE_MIGRATION_URL');
  if (migrationUrl?.from !== 'secret')
    problems.push(`${what}: DATABASE_MIGRATION_URL (the schema owner) must come from a Secret`);
  const rest = new Map([...env.sources].filter(([key]) => key !== 'DATABASE_MIGRATION_URL'));
  if (JSON.stringify([...rest].sort()) !== JSON.stringify([...serviceEnv].sort()))
    problems.push(
      `${what}: its environment differs from the service's (beyond DATABASE_MIGRATION_URL)`,
    );
  problems.push(...environmentProblems(what, env, app.configClass).problems);
  return problems;
}
