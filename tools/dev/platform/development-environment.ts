import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The development token secret, generated once on this machine into `.cache/dev.env` (mode 600,
 * never committed) and shared by every service and by `npm run token`.
 */
export function developmentSecrets(devEnvFile: string): Record<string, string> {
  if (!existsSync(devEnvFile)) {
    mkdirSync(dirname(devEnvFile), { recursive: true });
    writeFileSync(devEnvFile, `AUTH_JWT_SECRET=${randomBytes(32).toString('hex')}\n`, {
      mode: 0o600,
    });
  }
  return Object.fromEntries(
    readFileSync(devEnvFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * Services connect as the least-privilege login role and migrate as the schema owner
 * (tools/infra/database-roles.sql): the owner is the URL the environment gives.
 */
export function databaseRoles(env: NodeJS.ProcessEnv): Record<string, string> {
  const owner = new URL(
    env['DATABASE_MIGRATION_URL'] ??
      env['DATABASE_URL'] ??
      `postgres://postgres@127.0.0.1:5432/${env['PGDATABASE_NAME'] ?? 'implant_trace'}`,
  );
  const service = new URL(owner);
  service.username = 'implant_trace_service';
  service.password = '';
  return { DATABASE_MIGRATION_URL: owner.toString(), DATABASE_URL: service.toString() };
}
