// `npm start`: brings up PostgreSQL, Redis and Kafka, runs each service's migration step, then
// runs every service with a development token secret generated on this machine (never
// committed), until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { migrateServices } from '../database/migrate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const devEnvFile = join(root, '.cache', 'dev.env');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function developmentEnvironment() {
  if (!existsSync(devEnvFile)) {
    mkdirSync(dirname(devEnvFile), { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(devEnvFile, `AUTH_JWT_SECRET=${secret}\n`, { mode: 0o600 });
  }
  return Object.fromEntries(
    readFileSync(devEnvFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function services() {
  return readdirSync(join(root, 'apps')).filter((app) =>
    existsSync(join(root, 'apps', app, 'src', 'main.ts')),
  );
}

/**
 * Services connect as the least-privilege login role and apply their start-up migrations as
 * the schema owner (tools/infra/database-roles.sql): the owner is the given URL.
 */
function databaseRoles() {
  const owner = new URL(
    process.env.DATABASE_MIGRATION_URL ??
      process.env.DATABASE_URL ??
      `postgres://postgres@127.0.0.1:5432/${process.env.PGDATABASE_NAME ?? 'implant_trace'}`,
  );
  const service = new URL(owner);
  service.username = 'implant_trace_service';
  service.password = '';
  return { DATABASE_MIGRATION_URL: owner.toString(), DATABASE_URL: service.toString() };
}

run('bash', [join(root, 'tools/infra/up.sh')]);
const env = { ...process.env, ...databaseRoles(), ...developmentEnvironment() };
// Each service's own migration step, before any service starts, as production runs it.
try {
  migrateServices(services(), env);
} catch (error) {
  console.error(`implant-trace: ${error.message}`);
  process.exit(1);
}
const children = services().map((service) => {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', service, 'src', 'main.ts')],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const prefix = `[${service}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => process.stdout.write(text.replace(/^(?=.)/gm, prefix)));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${prefix}exited (${signal ?? code}); stopping the platform`);
    stop(1);
  });
  return child;
});

const demoDeviceFiles = ['gudid-device.txt', 'gudid-identifiers.txt', 'devices.csv'].map((file) =>
  join(root, 'libs', 'device-registry', 'feature', 'sample-data', file),
);

async function waitUntilHealthy(service, port) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const status = await fetch(`http://127.0.0.1:${port}/health`)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service} did not become healthy on port ${port}`);
}

// Demo data: the sample device catalogue (importing it again changes nothing).
async function loadDemoData() {
  await waitUntilHealthy('device-registry', 3001);
  for (const file of demoDeviceFiles) {
    const result = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/device-registry/src/devices-import.main.ts', file],
      { cwd: root, env, stdio: ['ignore', 'inherit', 'ignore'] },
    );
    if (result.status !== 0) throw new Error(`demo import of ${file} failed`);
  }
  console.log('implant-trace: demo device catalogue loaded; the platform is ready.');
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}
loadDemoData().catch((error) => {
  console.error(`implant-trace: ${error.message}`);
  stop(1);
});
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(
  `implant-trace: ${children.length} services starting (ports 3001-3004); ` +
    'development token secret in .cache/dev.env; Ctrl-C stops them (Kafka keeps running: npm run infra:down).',
);
