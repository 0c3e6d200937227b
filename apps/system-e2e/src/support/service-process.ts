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

export interface RunningService {
  baseUrl: string;
  jwtSecret: string;
  issuer: string;
  audience: string;
  stop(): Promise<void>;
}

/**
 * Starts a service exactly as `npm start` does (its main.ts on the pinned Node), on its own
 * port and database schema, with a token secret and issuer made for this run; resolves once /health
 * answers 200.
 */
export async function startService(
  service: string,
  { port, schema }: { port: number; schema: string },
): Promise<RunningService> {
  const jwtSecret = randomBytes(32).toString('hex');
  const issuer = 'implant-trace-e2e';
  const audience = 'implant-trace';
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', service, 'src', 'main.ts')],
    {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        // As npm start runs it: as the least-privilege login role, migrating as the owner.
        DATABASE_URL: serviceRoleDatabaseUrl(),
        DATABASE_MIGRATION_URL: testInfrastructure().databaseUrl,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_SCHEMA: schema,
        AUTH_JWT_SECRET: jwtSecret,
        AUTH_ISSUER: issuer,
        AUTH_AUDIENCE: audience,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
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
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
