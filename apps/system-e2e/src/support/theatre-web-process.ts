import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { waitFor } from '@implant-trace/platform-testing';

import type { RunningService } from './service-process';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

export interface RunningPage {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Builds the page as a development build (with the development sign-in) and runs its server on
 * `port` in front of the given services, as `nx run theatre-web:serve` does.
 */
export async function startTheatreWeb(
  port: number,
  services: {
    deviceRegistry: RunningService;
    implantEvents: RunningService;
    recallMatching: RunningService;
    notifications: RunningService;
  },
  { hospitals }: { hospitals: string[] },
): Promise<RunningPage> {
  const staticDir = join(workspaceRoot, 'dist', 'apps', 'theatre-web', 'e2e');
  const build = spawnSync(
    process.execPath,
    [
      join(workspaceRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      'apps/theatre-web/vite.config.mts',
      '--mode',
      'development',
      '--outDir',
      staticDir,
      '--logLevel',
      'warn',
    ],
    { cwd: workspaceRoot, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`vite build failed\n${build.stdout}\n${build.stderr}`);

  const output: string[] = [];
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('apps', 'theatre-web', 'src', 'server', 'main.ts')],
    {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        THEATRE_WEB_STATIC_DIR: staticDir,
        DEVICE_REGISTRY_URL: services.deviceRegistry.baseUrl,
        IMPLANT_EVENTS_URL: services.implantEvents.baseUrl,
        RECALL_MATCHING_URL: services.recallMatching.baseUrl,
        NOTIFICATIONS_URL: services.notifications.baseUrl,
        AUTH_JWT_SECRET: services.implantEvents.jwtSecret,
        AUTH_ISSUER: services.implantEvents.issuer,
        AUTH_AUDIENCE: services.implantEvents.audience,
        SCANNER_GS_ALIASES: '{GS}',
        // Playwright types through the DevTools protocol, a key per round trip: on a loaded
        // machine that is slower than a scanner, so the gap allowed is wider than in theatre.
        SCANNER_MAX_INTER_KEY_MS: '300',
        DEV_HOSPITALS: hospitals.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return (await fetch(`${baseUrl}/health`)).status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'theatre-web to answer /health' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output.join('').slice(-4000)}`);
  }
  return {
    baseUrl,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
