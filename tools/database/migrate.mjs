// `npm run db:migrate [-- <service>...]`: each named service's migration step
// (apps/<service>/src/migrate.ts), one after another; every service when none is named. The
// same step production runs as `node dist/apps/<service>/migrate.js` before the service starts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The services that have a migration step. */
export function migratableServices() {
  return readdirSync(join(root, 'apps')).filter((app) =>
    existsSync(join(root, 'apps', app, 'src', 'migrate.ts')),
  );
}

/**
 * Runs the migration step of each service in turn; throws at the first that fails. `stdio` is
 * where their output goes (spawnSync's option: `npm start` sends it to a log file).
 */
export function migrateServices(services, env = process.env, stdio = 'inherit') {
  const known = migratableServices();
  const unknown = services.filter((service) => !known.includes(service));
  if (unknown.length > 0) {
    throw new Error(`no migration step for ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
  for (const service of services) {
    const result = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join('apps', service, 'src', 'migrate.ts')],
      { cwd: root, env, stdio },
    );
    if (result.status !== 0) {
      throw new Error(`${service}: migration step failed (${result.signal ?? result.status})`);
    }
  }
}

// A service's config is validated whole, token secret included: on a development machine the
// secret `npm start` generated stands in when the environment has none.
function withDevelopmentSecret(env) {
  const file = join(root, '.cache', 'dev.env');
  if (!existsSync(file)) return env;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='));
  const development = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { ...development, ...env };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const named = process.argv.slice(2);
  try {
    migrateServices(
      named.length === 0 ? migratableServices() : named,
      withDevelopmentSecret(process.env),
    );
  } catch (error) {
    console.error(`db:migrate: ${error.message}`);
    process.exit(1);
  }
}
