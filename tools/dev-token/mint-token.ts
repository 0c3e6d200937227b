// `npm run token -- --role theatre --ods RXH01 [--sub nurse-1] [--expires-in 3600]` prints a
// development bearer token for the running services: signed with AUTH_JWT_SECRET from the
// environment or, when it is not set there, from .cache/dev.env (written by `npm start`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { mintDevelopmentToken, parseDevelopmentTokenRequest } from '@implant-trace/platform-auth';
import type { ServiceConfigBase } from '@implant-trace/platform-config';
import { ConfigValidationError, loadConfig } from '@implant-trace/platform-config';

import { serviceConfigClasses } from '../config/service-config-classes';

function devEnvFile(): Record<string, string> {
  const file = join(__dirname, '..', '..', '.cache', 'dev.env');
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** The auth settings every service reads (all services share secret, issuer and audience). */
function authConfig(): ServiceConfigBase {
  const [anyService] = serviceConfigClasses();
  if (anyService === undefined) throw new Error('no service config class found under apps/');
  try {
    return loadConfig(anyService);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return loadConfig(anyService, devEnvFile());
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      ods: { type: 'string' },
      sub: { type: 'string' },
      'expires-in': { type: 'string' },
    },
  });
  const request = parseDevelopmentTokenRequest(values);
  const config = authConfig();
  if (config.authJwtSecret === undefined) {
    throw new Error(
      'No AUTH_JWT_SECRET in the environment or .cache/dev.env (run `npm start` once)',
    );
  }
  const token = await mintDevelopmentToken({
    ...request,
    secret: config.authJwtSecret,
    issuer: config.authIssuer,
    audience: config.authAudience,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
