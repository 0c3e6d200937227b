import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import {
  serviceRoleDatabaseUrl,
  testInfrastructure,
  waitFor,
} from '@implant-trace/platform-testing';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningService {
  baseUrl: string;
  jwtSecret: string;
  issuer: string;
  audience: string;
  /** SIGTERM, resolving with how the process ended. */
  stop(): Promise<ServiceExit>;
}

export interface StartServiceOptions {
  port: number;
  schema: string;
  /** Shared by services that must accept the same tokens; made for this run when left out. */
  jwtSecret?: string;
  /** Settings of the deployment beyond the test's own (NHS_NUMBER_POLICY, say). */
  env?: NodeJS.ProcessEnv;
}

/** Runs a service's entry point on the pinned Node, its output kept for the failure message. */
function spawnEntryPoint(
  service: string,
  entryPoint: 'main.ts' | 'migrate.ts',
  env: NodeJS.ProcessEnv,
  output: string[],
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', service, 'src', entryPoint)],
    { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
}

function exitOf(child: ChildProcess): Promise<ServiceExit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      return resolve({ code: child.exitCode, signal: child.signalCode });
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Starts a service exactly as `npm start` does: its migration step (apps/<service>/src/migrate.ts)
 * run to completion as the schema owner, then its main.ts on the pinned Node as the
 * least-privilege login role, on its own port and database schema, with a token secret and
 * issuer made for this run; resolves once /health answers 200.
 */
export async function startService(
  service: string,
  {
    port,
    schema,
    jwtSecret = randomBytes(32).toString('hex'),
    env: extra = {},
  }: StartServiceOptions,
): Promise<RunningService> {
  const issuer = 'implant-trace-e2e';
  const audience = 'implant-trace';
  const output: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // As npm start runs it: as the least-privilege login role, migrating as the owner.
    DATABASE_URL: serviceRoleDatabaseUrl(),
    DATABASE_MIGRATION_URL: testInfrastructure().databaseUrl,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_SCHEMA: schema,
    // A consumer group of this schema's own: an instance of another run or spec left on the
    // broker (a crashed run) would otherwise share the group, take partitions and commit
    // offsets for events this instance never applied.
    KAFKA_CONSUMER_GROUP: schema,
    AUTH_JWT_SECRET: jwtSecret,
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const migration = await exitOf(spawnEntryPoint(service, 'migrate.ts', env, output));
  if (migration.code !== 0) {
    throw new Error(
      `${service}: migration step failed (${migration.signal ?? migration.code})\n${output.join('').slice(-4000)}`,
    );
  }
  const child = spawnEntryPoint(service, 'main.ts', env, output);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return (await fetch(`${baseUrl}/health`)).status === 200;
      },
      { timeoutMs: 45_000, intervalMs: 250, description: `${service} to become healthy` },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output.join('').slice(-4000)}`);
  }
  return {
    baseUrl,
    jwtSecret,
    issuer,
    audience,
    stop: () => {
      const exited = exitOf(child);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
