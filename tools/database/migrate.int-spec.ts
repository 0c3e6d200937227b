import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { createSchemaDataSource } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

const workspaceRoot = join(__dirname, '..', '..');
const services = readdirSync(join(workspaceRoot, 'apps')).filter((app) =>
  existsSync(join(workspaceRoot, 'apps', app, 'src', 'migrate.ts')),
);

interface StepRun {
  code: number | null;
  output: string;
  applied: string[] | undefined;
}

/** `npm run db:migrate -- <service>` as production-like configuration runs it. */
function migrationStep(service: string, schema: string): Promise<StepRun> {
  const infrastructure = testInfrastructure();
  const child = spawn(process.execPath, ['tools/database/migrate.mjs', service], {
    cwd: workspaceRoot,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      DATABASE_URL: infrastructure.databaseUrl,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
      REDIS_URL: infrastructure.redisUrl,
      AUTH_JWKS_URL: 'https://login.example.org/.well-known/jwks.json',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const output = chunks.join('');
      const summary = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { applied?: string[] })
        .find((line) => line.applied !== undefined);
      resolve({ code, output, applied: summary?.applied });
    });
  });
}

describe('each service migration step (npm run db:migrate -- <service>)', () => {
  jest.setTimeout(120_000);
  const schemas: string[] = [];
  const dataSource = createSchemaDataSource({
    url: testInfrastructure().databaseUrl,
    schema: 'public',
  });

  beforeAll(async () => {
    await dataSource.initialize();
  });

  afterAll(async () => {
    for (const schema of schemas)
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('exists for every service', () => {
    expect(services.sort()).toEqual([
      'device-registry',
      'implant-events',
      'notifications',
      'recall-matching',
    ]);
  });

  it.each(services)(
    '%s: applies every migration into a fresh schema once, finds its entities agree with its tables, and is a no-op the second time',
    async (service) => {
      const schema = uniqueName(`it_migrate_${service.replace(/-/g, '_')}`);
      schemas.push(schema);

      const first = await migrationStep(service, schema);
      expect({ code: first.code, output: first.output }).toEqual({
        code: 0,
        output: expect.any(String) as string,
      });
      const recorded = (
        (await dataSource.query(`SELECT name FROM "${schema}".migrations ORDER BY id`)) as {
          name: string;
        }[]
      ).map((row) => row.name);
      expect(recorded).toEqual(
        expect.arrayContaining([
          'CreateAuditLog1767225600000',
          'CreateIdempotencyKeys1767225600001',
        ]),
      );
      expect(first.applied).toEqual(recorded);

      const second = await migrationStep(service, schema);
      expect({ code: second.code, applied: second.applied }).toEqual({ code: 0, applied: [] });
      const [{ rows }] = (await dataSource.query(
        `SELECT count(*)::int AS rows FROM "${schema}".migrations`,
      )) as [{ rows: number }];
      expect(rows).toBe(recorded.length);
    },
  );
});
