// `npm start`: brings up PostgreSQL, Redis and Kafka, runs each service's migration step, starts
// every service under a supervisor that restarts it when it crashes, loads the demo data through
// the services' own APIs, then prints one summary; Ctrl-C stops everything it started.
import 'reflect-metadata';

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROLES } from '@implant-trace/platform-auth';
import { HEALTH_ANSWERS_WITHIN_MS } from '@implant-trace/platform-observability';

import { serviceConfigClasses, workspaceRoot } from '../../config/service-config-classes';
import { demoDevices, writeDemoCatalogue } from './demo/demo-catalogue';
import { DEMO_HOSPITALS, demoRecordings } from './demo/demo-implants';
import { subscribeDemoReceivers } from './demo/demo-notifications';
import { issueDemoRecall } from './demo/demo-recall';
import { DemoWebhookReceivers } from './demo/demo-webhook-receivers';
import { loadDemoImplants } from './demo/load-demo-implants';
import { databaseRoles, developmentSecrets } from './development-environment';
import { PlatformClient } from './platform-client';
import { ServiceSupervisor } from './service-supervisor';

const { values: flags } = parseArgs({
  options: {
    logs: { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
  },
});
const cacheDirectory = join(workspaceRoot, '.cache');
const logDirectory = join(cacheDirectory, 'logs');
mkdirSync(logDirectory, { recursive: true });

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`implant-trace: ${line}\n`);

class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly logFile: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function step<T>(name: string, logFile: string, work: () => Promise<T> | T): Promise<T> {
  say(`${name}…`);
  try {
    const result = await work();
    say(`${name}: done (${elapsed()})`);
    return result;
  } catch (error) {
    throw new StepFailure(name, logFile, error);
  }
}

function runLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
  return new Promise<void>((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, {
      cwd: workspaceRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      log.end();
      if (code === 0) resolve();
      else
        reject(new Error(`${[command, ...args].join(' ')} ended with ${signal ?? `code ${code}`}`));
    });
  });
}

async function untilHealthy(name: string, url: string, supervisor: ServiceSupervisor) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const status = await fetch(`${url}/health`, {
      signal: AbortSignal.timeout(HEALTH_ANSWERS_WITHIN_MS),
    })
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${name} did not answer /health with 200 within 120 s (log: ${supervisor.logFile})`,
  );
}

const services = serviceConfigClasses().map((configClass) => {
  const defaults = new configClass();
  return {
    name: defaults.serviceName,
    port: defaults.port,
    url: `http://127.0.0.1:${defaults.port}`,
  };
});
const THEATRE_WEB_PORT = 3000;
const THEATRE_WEB_URL = `http://127.0.0.1:${THEATRE_WEB_PORT}`;
const urlOf = (name: string) => {
  const service = services.find((candidate) => candidate.name === name);
  if (service === undefined) throw new Error(`no service ${name} under apps/`);
  return service.url;
};

const supervisors: ServiceSupervisor[] = [];
let receivers: DemoWebhookReceivers | undefined;
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping the services…');
    await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
    await receivers?.close();
    say('stopped (Kafka, PostgreSQL and Redis keep running: npm run infra:down stops Kafka)');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main() {
  const secrets = developmentSecrets(join(cacheDirectory, 'dev.env'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env['NODE_ENV'] ?? 'development',
    // Demo patients carry NHS test numbers (999…): a real number here would be a mistake.
    NHS_NUMBER_POLICY: process.env['NHS_NUMBER_POLICY'] ?? 'require-test-numbers',
    // The demo hospitals' receivers listen on this machine's loopback interface.
    WEBHOOK_ALLOW_LOOPBACK_URLS: process.env['WEBHOOK_ALLOW_LOOPBACK_URLS'] ?? 'true',
    ...databaseRoles(process.env),
    ...secrets,
  };
  const infrastructureLog = join(logDirectory, 'infrastructure.log');
  await step('PostgreSQL, Redis and Kafka', infrastructureLog, () =>
    runLogged('bash', [join(workspaceRoot, 'tools', 'infra', 'up.sh')], env, infrastructureLog),
  );
  const migrationsLog = join(logDirectory, 'migrations.log');
  await step('each service’s migration step', migrationsLog, async () => {
    const { migrateServices } = await import('../../database/migrate.mjs');
    const fd = openSync(migrationsLog, 'a');
    try {
      migrateServices(
        services.map((service) => service.name),
        env,
        ['ignore', fd, fd],
      );
    } finally {
      closeSync(fd);
    }
  });
  for (const service of services) {
    supervisors.push(
      new ServiceSupervisor(
        {
          name: service.name,
          port: service.port,
          args: ['-r', '@swc-node/register', join('apps', service.name, 'src', 'main.ts')],
        },
        { root: workspaceRoot, env, logDirectory, echoLogs: flags.logs, say },
      ),
    );
  }
  await step(
    `starting ${services.map((service) => service.name).join(', ')}`,
    logDirectory,
    async () => {
      for (const supervisor of supervisors) supervisor.start();
      await Promise.all(
        supervisors.map((supervisor) =>
          untilHealthy(supervisor.service.name, urlOf(supervisor.service.name), supervisor),
        ),
      );
    },
  );

  const theatreWebLog = join(logDirectory, 'theatre-web-build.log');
  await step('theatre-web page (development build) on 3000', theatreWebLog, async () => {
    await runLogged(
      join(workspaceRoot, 'node_modules', '.bin', 'nx'),
      ['run', 'theatre-web:build-dev', '--output-style=static'],
      { ...env, NX_DAEMON: 'false', NX_TUI: 'false' },
      theatreWebLog,
    );
    const page = new ServiceSupervisor(
      {
        name: 'theatre-web',
        port: THEATRE_WEB_PORT,
        args: ['-r', '@swc-node/register', join('apps', 'theatre-web', 'src', 'server', 'main.ts')],
      },
      {
        root: workspaceRoot,
        env: { ...env, DEV_HOSPITALS: DEMO_HOSPITALS.map((hospital) => hospital.ods).join(',') },
        logDirectory,
        echoLogs: flags.logs,
        say,
      },
    );
    supervisors.push(page);
    page.start();
    await untilHealthy('theatre-web', THEATRE_WEB_URL, page);
  });

  const client = new PlatformClient({
    secret: secrets['AUTH_JWT_SECRET'] ?? '',
    issuer: env['AUTH_ISSUER'] ?? 'implant-trace-dev',
    audience: env['AUTH_AUDIENCE'] ?? 'implant-trace',
  });
  const demoLog = join(logDirectory, 'demo-data.log');
  let demoSummary: string[] = ['demo data: skipped (--no-demo)'];
  if (!flags['no-demo']) demoSummary = await loadDemo(client, env, demoLog);
  await printSummary(client, demoSummary);
}

async function loadDemo(client: PlatformClient, env: NodeJS.ProcessEnv, demoLog: string) {
  const devices = demoDevices();
  const catalogueFile = join(cacheDirectory, 'demo', 'demo-catalogue.csv');
  mkdirSync(join(cacheDirectory, 'demo'), { recursive: true });
  await step(`demo catalogue (${devices.length} devices)`, demoLog, async () => {
    await writeDemoCatalogue(catalogueFile, devices);
    // Importing the same file again changes nothing: the catalogue is keyed by identifier.
    await runLogged(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join('apps', 'device-registry', 'src', 'devices-import.main.ts'),
        catalogueFile,
      ],
      env,
      demoLog,
    );
  });
  const implantEvents = urlOf('implant-events');
  await step('implant-events catching up with the catalogue', demoLog, async () => {
    const bearer = await client.token('theatre', DEMO_HOSPITALS[0]?.ods, 'demo-loader');
    const last = devices[devices.length - 1];
    const deadline = Date.now() + 120_000;
    let verdict = '';
    while (Date.now() < deadline) {
      const answer = await client.call(`${implantEvents}/v1/scans/check`, {
        method: 'POST',
        body: { barcode: `(01)${last?.gtin ?? ''}` },
        bearer,
      });
      verdict = String((answer.body as { verdict?: string } | undefined)?.verdict);
      if (verdict === 'OK') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`a scan of the last demo device still answers ${verdict} after 120 s`);
  });
  const webhookLog = join(logDirectory, 'webhooks.log');
  receivers = new DemoWebhookReceivers(
    DEMO_HOSPITALS,
    (line) => say(line),
    createWriteStream(webhookLog, { flags: 'a' }),
  );
  const subscribed = await step(
    'demo webhook receivers and their subscriptions',
    demoLog,
    async () => {
      await receivers?.listen();
      return subscribeDemoReceivers(
        client,
        urlOf('notifications'),
        receivers?.receivers ?? [],
        join(cacheDirectory, 'demo', 'webhook-subscriptions.json'),
      );
    },
  );
  const recordings = demoRecordings(devices);
  const implants = await step(
    `demo implants (${recordings.length} at ${DEMO_HOSPITALS.length} hospitals)`,
    demoLog,
    () => loadDemoImplants(client, implantEvents, recordings),
  );
  const recall = await step('the demo recall and its matches', demoLog, () =>
    issueDemoRecall(client, urlOf('recall-matching'), devices),
  );
  return [
    `demo catalogue: ${devices.length} devices (${catalogueFile})`,
    implants.alreadyPresent
      ? 'demo implants: already recorded by an earlier start'
      : `demo implants: ${implants.recorded} recorded (${Object.entries(implants.byKind)
          .map(([kind, count]) => `${count} ${kind}`)
          .join(', ')}); ${implants.flaggedForReview} flagged for review`,
    `demo recall ${recall.recallId}${recall.alreadyOpen ? ' (open since an earlier start)' : ''}: ` +
      `${recall.matchedImplants} implants of ${recall.matchedPatients} patients at ${recall.hospitals} ` +
      `hospitals matched, ${recall.possibleImplants} possible`,
    `demo webhook receivers (${subscribed.created} subscribed now, ${subscribed.reused} from an earlier start), ` +
      `verifying every signature: ${(receivers?.receivers ?? [])
        .map((receiver) => `${receiver.hospital.ods} ${receiver.url}`)
        .join(', ')}; what they receive: ${webhookLog}`,
  ];
}

async function printSummary(client: PlatformClient, demoSummary: string[]) {
  const firstHospital = DEMO_HOSPITALS[0]?.ods ?? '';
  const tokens = await Promise.all(
    ROLES.map(async (role) => {
      const scoped = role === 'theatre' || role === 'hospital-system';
      const token = await client.token(role, scoped ? firstHospital : undefined);
      return `  ${role}${scoped ? ` (${firstHospital})` : ''}: ${token}`;
    }),
  );
  const lines = [
    '',
    `implant-trace is running (${elapsed()}). Ctrl-C stops it.`,
    '',
    'Services:',
    ...services.map(
      (service) => `  ${service.name.padEnd(16)} ${service.url}   API docs: ${service.url}/docs`,
    ),
    '',
    `Theatre staff and regulators: ${THEATRE_WEB_URL} (theatre-web; development sign-in)`,
    '',
    'Demo hospitals:',
    ...DEMO_HOSPITALS.map((hospital) => `  ${hospital.ods}  ${hospital.name}`),
    '',
    ...demoSummary,
    '',
    'Development tokens (12 h; another hospital: npm run token -- --role theatre --ods RAJ01):',
    ...tokens,
    '',
    `Logs: ${logDirectory}/<service>.log (JSON, one file per service; npm start -- --logs also prints them here)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(async (error: unknown) => {
  if (error instanceof StepFailure) {
    say(`${error.step} failed: ${error.message}`);
    say(`read ${error.logFile}`);
  } else {
    say(`failed: ${error instanceof Error ? error.stack : String(error)}`);
  }
  await stop(1);
});
