// What the service benchmarks share: a service started as its production image runs it, free
// ports, process exits and memory, and the median-with-spread every results table reports.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { serviceRoleDatabaseUrl, testInfrastructure } from '@implant-trace/platform-testing';

const root = join(__dirname, '..', '..', '..');

export interface ServiceProcessOptions {
  /** The nx project: its build output is dist/apps/<app>. */
  app: string;
  port: number;
  schema: string;
  brokers: string[];
  auth: { secret: string; issuer: string; audience: string };
  /** Settings beyond the common ones (rate limits, log level). */
  env?: NodeJS.ProcessEnv;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

export async function rssOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

/** The image's build: `nx build <app>`, from the cache when nothing changed. */
export function buildService(app: string): void {
  execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['build', app], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function runEntryPoint(options: ServiceProcessOptions, entryPoint: string): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: serviceRoleDatabaseUrl(),
    DATABASE_MIGRATION_URL: testInfrastructure().databaseUrl,
    NODE_ENV: 'test',
    PORT: String(options.port),
    DATABASE_SCHEMA: options.schema,
    KAFKA_BROKERS: options.brokers.join(','),
    AUTH_JWT_SECRET: options.auth.secret,
    AUTH_ISSUER: options.auth.issuer,
    AUTH_AUDIENCE: options.auth.audience,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  return spawn(process.execPath, [join('dist', 'apps', options.app, entryPoint)], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The image's migration step: the service's own migrations, as the schema's owner. */
export async function migrateService(options: ServiceProcessOptions): Promise<void> {
  const code = await exitOf(runEntryPoint(options, 'migrate.js'));
  if (code !== 0) throw new Error(`${options.app} migration exited with ${code}`);
}

/** main.js as the least-privileged role, on the schema its migration step prepared. */
export function runService(options: ServiceProcessOptions): ChildProcess {
  return runEntryPoint(options, 'main.js');
}

/**
 * Starts the service as its production image does: the `nx build` output, its migration step
 * as the owner, then main.js as the least-privileged role.
 */
export async function startService(options: ServiceProcessOptions): Promise<ChildProcess> {
  buildService(options.app);
  await migrateService(options);
  return runService(options);
}

/**
 * For a benchmark's helper process: exit once the benchmark that started it is gone, so a
 * benchmark that crashed leaves nothing running (an orphaned relay once held a transaction open
 * for half an hour, stalling vacuum for every later run).
 */
export function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 1_000).unref();
}

/**
 * Runs a benchmark's helper process: `start` brings it up and answers how to stop it; `ready`
 * is printed once it is up, SIGTERM stops it cleanly, and it exits with the benchmark.
 */
export function serveUntilTerminated(start: () => Promise<() => Promise<void>>): void {
  exitWithParent();
  start().then(
    (stop) => {
      process.stdout.write('ready\n');
      process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
export const spread = (values: number[]) => `${Math.min(...values)}-${Math.max(...values)}`;
