// `npm start`: brings up PostgreSQL, Redis and Kafka, then runs every service with a
// development token secret generated on this machine (never committed), until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

run('bash', [join(root, 'tools/infra/up.sh')]);
const env = { ...process.env, ...developmentEnvironment() };
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

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
console.log(
  `implant-trace: ${children.length} services starting (ports 3001-3004); ` +
    'development token secret in .cache/dev.env; Ctrl-C stops them (Kafka keeps running: npm run infra:down).',
);
