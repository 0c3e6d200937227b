import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { HEALTH_ANSWERS_WITHIN_MS } from '@implant-trace/platform-observability';
import {
  serviceRoleDatabaseUrl,
  testInfrastructure,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { ServiceSupervisor } from '../dev/platform/service-supervisor';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

export const SERVICES = [
  'device-registry',
  'implant-events',
  'recall-matching',
  'notifications',
] as const;
export type ServiceName = (typeof SERVICES)[number];
/** The services that consume events, which scale by running more instances in one group. */
export const CONSUMING_SERVICES: readonly ServiceName[] = [
  'implant-events',
  'recall-matching',
  'notifications',
];

const FIRST_PORT = 3141;
const SECOND_INSTANCE_OFFSET = 10;

/**
 * The four services as `npm start` runs them: each one's migration step, then its main.ts under
 * a ServiceSupervisor that restarts it when it dies, each in a schema of this run's own.
 */
export class PlatformUnderTest {
  readonly schemas = Object.fromEntries(
    SERVICES.map((name) => [name, uniqueName(`faults_${name.replace('-', '_')}`)]),
  ) as Record<ServiceName, string>;
  private readonly supervisors = new Map<string, ServiceSupervisor>();

  constructor(
    private readonly options: {
      brokers: string[];
      redisUrl: string;
      jwtSecret: string;
      issuer: string;
      audience: string;
      logDirectory: string;
      say: (line: string) => void;
      /** More variables for every service (the cluster's replication settings). */
      extraEnv?: NodeJS.ProcessEnv;
    },
  ) {}

  urlOf(name: ServiceName, instance = 0): string {
    return `http://127.0.0.1:${this.portOf(name, instance)}`;
  }

  private portOf(name: ServiceName, instance: number): number {
    return FIRST_PORT + SERVICES.indexOf(name) + instance * SECOND_INSTANCE_OFFSET;
  }

  private envOf(name: ServiceName): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: serviceRoleDatabaseUrl(),
      DATABASE_MIGRATION_URL: testInfrastructure().databaseUrl,
      DATABASE_SCHEMA: this.schemas[name],
      // Two instances of a service share this group, as a scaled deployment does.
      KAFKA_CONSUMER_GROUP: this.schemas[name],
      NODE_ENV: 'test',
      KAFKA_BROKERS: this.options.brokers.join(','),
      REDIS_URL: this.options.redisUrl,
      AUTH_JWT_SECRET: this.options.jwtSecret,
      AUTH_ISSUER: this.options.issuer,
      AUTH_AUDIENCE: this.options.audience,
      LOG_LEVEL: 'warn',
      // The hospitals' endpoints listen on loopback, which only local runs allow.
      WEBHOOK_ALLOW_LOOPBACK_URLS: 'true',
      // Every load request comes from loopback, and a hospital's theatre is one token.
      HTTP_RATE_LIMIT_PER_ADDRESS: '100000000',
      HTTP_RATE_LIMIT_PER_TOKEN: '100000000',
      ...this.options.extraEnv,
    };
  }

  async start(): Promise<void> {
    for (const name of SERVICES) {
      await run(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/migrate.ts`], {
        cwd: root,
        env: this.envOf(name),
      });
    }
    await Promise.all(SERVICES.map((name) => this.startInstance(name, 0)));
  }

  async startInstance(name: ServiceName, instance: number): Promise<void> {
    const supervisor = new ServiceSupervisor(
      {
        name: `${name}-${instance}`,
        port: this.portOf(name, instance),
        args: ['-r', '@swc-node/register', join('apps', name, 'src', 'main.ts')],
      },
      {
        root,
        env: this.envOf(name),
        logDirectory: this.options.logDirectory,
        echoLogs: false,
        say: this.options.say,
      },
    );
    this.supervisors.set(`${name}-${instance}`, supervisor);
    supervisor.start();
    await this.untilHealthy(name, instance);
  }

  async stopInstance(name: ServiceName, instance: number): Promise<void> {
    await this.supervisors.get(`${name}-${instance}`)?.stop();
    this.supervisors.delete(`${name}-${instance}`);
  }

  /**
   * SIGKILLs an instance and resolves once it has died (its supervisor saw it exit and will
   * start it again, as `npm start`'s does): the proof that the fault happened.
   */
  async kill(name: ServiceName, instance = 0): Promise<string> {
    const supervisor = this.supervisors.get(`${name}-${instance}`);
    const restartsBefore = supervisor?.restartCount ?? 0;
    if (supervisor?.signal('SIGKILL') !== true) {
      throw new Error(`${name}-${instance} was not running, so it could not be killed`);
    }
    await waitFor(() => supervisor.restartCount > restartsBefore, {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: `${name}-${instance} to die`,
    });
    return `${name}-${instance} died of SIGKILL`;
  }

  /** Fails with the service's last answer, which names the dependency it found down. */
  async untilHealthy(name: ServiceName, instance = 0, timeoutMs = 120_000): Promise<void> {
    let lastAnswer = 'none';
    await waitFor(
      async () => {
        const response = await fetch(`${this.urlOf(name, instance)}/health`, {
          signal: AbortSignal.timeout(HEALTH_ANSWERS_WITHIN_MS),
        }).catch((error: unknown) => String(error));
        if (typeof response === 'string') lastAnswer = response;
        else lastAnswer = `${response.status} ${await response.text().catch(() => '')}`;
        return typeof response !== 'string' && response.status === 200;
      },
      { timeoutMs, intervalMs: 250, description: `${name}-${instance} to answer /health` },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; its last answer: ${lastAnswer}`);
    });
  }

  async untilAllHealthy(): Promise<void> {
    await Promise.all(
      [...this.supervisors.keys()].map((key) => {
        const instance = Number(key.slice(key.lastIndexOf('-') + 1));
        return this.untilHealthy(key.slice(0, key.lastIndexOf('-')) as ServiceName, instance);
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.supervisors.values()].map((supervisor) => supervisor.stop()));
    this.supervisors.clear();
  }
}
