import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

import { createSchemaDataSource } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';

import { buildApp } from './build-app';

const workspaceRoot = join(__dirname, '..', '..');
const productionDependencies = Object.keys(
  (
    JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies,
);

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return javascriptFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

/** The package a bare specifier names: `@nestjs/common/constants` -> `@nestjs/common`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The bare specifiers the files require, and the packages among them no production dependency provides. */
function requiredPackages(files: readonly string[]): { bare: Set<string>; outside: string[] } {
  const bare = new Set<string>();
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/require\("[^"]*\.ts"\)/);
    for (const [, specifier] of code.matchAll(/require\("([^".][^"]*)"\)/g)) {
      if (specifier !== undefined) bare.add(specifier);
    }
  }
  const builtins = new Set(builtinModules);
  const outside = [...bare]
    .filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier))
    .map(packageOf)
    .filter((name) => !productionDependencies.includes(name));
  return { bare, outside };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node <file>` on the pinned Node 24, with nothing but the given environment. */
function run(file: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--enable-source-maps', file], {
    cwd: workspaceRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => chunks.join(''), exited };
}

describe('the production build of a service (nx build device-registry)', () => {
  jest.setTimeout(180_000);
  const outDir = join(workspaceRoot, 'tmp', uniqueName('build_device_registry'));
  const schema = uniqueName('it_build_device_registry');
  let env: Record<string, string>;
  let launchers: string[];

  beforeAll(async () => {
    launchers = buildApp('device-registry', outDir);
    const infrastructure = testInfrastructure();
    // As the image runs it: production, an HS256 secret from the environment instead of a JWKS.
    env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      DATABASE_URL: infrastructure.databaseUrl,
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
      REDIS_URL: infrastructure.redisUrl,
      AUTH_HS256_IN_PRODUCTION: 'true',
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    };
  });

  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  it('has a launcher for the service, its migration step and its import task', () => {
    expect(launchers.map((file) => file.slice(outDir.length + 1))).toEqual([
      'devices-import.main.js',
      'main.js',
      'migrate.js',
    ]);
  });

  it('is JavaScript that needs only Node built-ins, its own files and production dependencies', () => {
    const { bare, outside } = requiredPackages(javascriptFiles(outDir));
    expect(outside).toEqual([]);
    expect(bare).toContain('@nestjs/core');
  });

  it('refuses to start on an unmigrated schema, naming the migration step', async () => {
    const service = run(join(outDir, 'main.js'), env);
    const code = await service.exited;
    expect({ code, output: service.output() }).toEqual({
      code: 1,
      output: expect.stringContaining('pending migration(s)') as string,
    });
    expect(service.output()).toContain('migrate.js');
  });

  it('starts once its migration step has run, and answers /health', async () => {
    const migration = run(join(outDir, 'migrate.js'), env);
    expect({ code: await migration.exited, output: migration.output() }).toEqual({
      code: 0,
      output: expect.any(String) as string,
    });

    const service = run(join(outDir, 'main.js'), env);
    try {
      const health = await waitFor(
        async () => {
          if (service.child.exitCode !== null) {
            throw new Error(`exited with ${service.child.exitCode}: ${service.output()}`);
          }
          const response = await fetch(`http://127.0.0.1:${env['PORT']}/health`).catch(
            () => undefined,
          );
          return response?.status === 200 ? ((await response.json()) as unknown) : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250, description: 'the built service to answer /health' },
      );
      expect(health).toMatchObject({ status: 'ok' });
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});

describe('the production build of theatre-web (nx build theatre-web)', () => {
  jest.setTimeout(180_000);
  const outDir = join(workspaceRoot, 'tmp', uniqueName('build_theatre_web'));
  const developmentPage = join(outDir, 'public-dev', 'index.html');
  let launchers: string[];

  beforeAll(() => {
    // What `npm start` serves from the same folder: a production build must leave it.
    mkdirSync(dirname(developmentPage), { recursive: true });
    writeFileSync(developmentPage, '<!doctype html><title>development page</title>');
    launchers = buildApp('theatre-web', outDir);
  });

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('has a launcher for the page server only, and leaves the development page', () => {
    expect(launchers.map((file) => file.slice(outDir.length + 1))).toEqual(['main.js']);
    expect(readFileSync(developmentPage, 'utf8')).toContain('development page');
  });

  it('is JavaScript that needs only Node built-ins, its own files and production dependencies', () => {
    const { bare, outside } = requiredPackages([
      ...javascriptFiles(join(outDir, 'apps')),
      ...javascriptFiles(join(outDir, 'libs')),
    ]);
    expect(outside).toEqual([]);
    expect(bare).toContain('class-validator');
  });

  it('serves the production page from public/ as the image runs it, and answers /health', async () => {
    const port = await freePort();
    const server = run(join(outDir, 'main.js'), {
      NODE_ENV: 'production',
      PORT: String(port),
      THEATRE_WEB_STATIC_DIR: join(outDir, 'public'),
      THEATRE_WEB_SIGN_IN: 'oidc',
      OIDC_ISSUER: 'https://login.example.nhs.uk',
      OIDC_CLIENT_ID: 'implant-trace-theatre',
      OIDC_REDIRECT_URI: 'https://theatre.example.nhs.uk/',
    });
    try {
      const health = await waitFor(
        async () => {
          if (server.child.exitCode !== null) {
            throw new Error(`exited with ${server.child.exitCode}: ${server.output()}`);
          }
          const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          return response?.status === 200 ? ((await response.json()) as unknown) : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, description: 'the page server to answer /health' },
      );
      expect(health).toEqual({ status: 'ok' });
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      // The bundle, not the source the development server would load.
      expect(page).toMatch(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/);
      expect(page).not.toContain('/src/client/main.tsx');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses to start in production without its OpenID provider, naming the variable', async () => {
    const server = run(join(outDir, 'main.js'), {
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      THEATRE_WEB_STATIC_DIR: join(outDir, 'public'),
      THEATRE_WEB_SIGN_IN: 'oidc',
    });
    expect({ code: await server.exited, output: server.output() }).toEqual({
      code: 1,
      output: expect.stringContaining('OIDC_ISSUER') as string,
    });
  });
});
