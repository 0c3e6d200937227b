// Device import benchmark. Every run imports a generated GUDID device file and identifiers file
// with the build's devices-import CLI (`npm run devices:import`) into a fresh schema: the import's
// time is the database side. The first END_TO_END runs also relay: the real device-registry
// service runs from its build (migration step, then main.js as the least-privilege role) and its
// own outbox relay publishes every event the import wrote to an emptied devices topic; the clock
// runs from the import's start until the last event is on the topic. A last, smaller pass profiles
// the import CLI (--cpu-prof) and records its top costs.
// Writes docs/benchmarks/device-import.md and device-import.json.
//   npm run bench:device-import -- [IDENTIFIERS] [RUNS] [END_TO_END] [after|during]
import 'reflect-metadata';

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { format, resolveConfig } from 'prettier';

import { DEVICES_TOPIC } from '@implant-trace/contracts';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { KafkaConnection } from '@implant-trace/platform-messaging';
import {
  serviceRoleDatabaseUrl,
  testInfrastructure,
  waitFor,
} from '@implant-trace/platform-testing';

import type { ProfileCost } from '../support/cpu-profile-summary';
import { topCosts } from '../support/cpu-profile-summary';
import { buildService, exitOf, freePort, median, rssOf, spread } from '../support/service-process';
import { messagesOnTopic } from '../support/topic-progress';
import { generateGudidFiles } from './generate-gudid-files';

const root = join(__dirname, '..', '..', '..');
const IDENTIFIERS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
/** Runs (the first ones) that also relay every event to the topic; each can take long. */
const END_TO_END = Math.min(RUNS, Number(process.argv[4] ?? RUNS));
/**
 * `after` (the default): the service, and with it the relay, starts once the import has exited,
 * so the import's time is the database side alone and the relay's is its own. `during`: the
 * service runs throughout, as in production, and the two share the machine.
 */
const RELAY = process.argv[5] === 'during' ? 'during' : 'after';
/** A relay run stops waiting after this long, and reports how far the relay got. */
const DRAIN_LIMIT_MS = 50 * 60_000;
const DEVICES = Math.floor(IDENTIFIERS / 4);
/** The profiled pass: a tenth of the size, so its share of the machine stays small. */
const PROFILE_DEVICES = Math.max(1, Math.floor(DEVICES / 10));
const TARGET_PER_SECOND = 50_000;
const MiB = 2 ** 20;

const infra = testInfrastructure();
const stamp = Date.now().toString(36);
const auth = {
  AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
  AUTH_ISSUER: 'implant-trace-bench',
  AUTH_AUDIENCE: 'implant-trace',
};

interface ImportRun {
  seconds: number;
  peakRssMiB: number;
  report: { rows: number; created: number; updated: number; unchanged: number; rejected: number };
}

interface RelayResult {
  /** Events the import wrote to the outbox, and how many the topic held at the end. */
  events: number;
  eventsOnTopic: number;
  /** False when the relay had not published every event within DRAIN_LIMIT_MS. */
  drained: boolean;
  /** From the first import's start until every event was on the topic (or the limit). */
  endToEndSeconds: number;
  /** How long the relay needed after the import's exit (with `after`, its start-up included). */
  relayTailSeconds: number;
  /**
   * Events on the topic over the time the relay could run: the end-to-end time when it ran
   * during the import, the relay tail (the service's start included) when it ran after it.
   */
  relayEventsPerSecond: number;
  /** The service's migration step and main.js until /health answers 200. */
  serviceStartSeconds: number;
  servicePeakRssMiB: number;
}

interface RunResult {
  run: number;
  /** Both files, from the first import's start to the second's exit (CLI start-ups included). */
  importSeconds: number;
  deviceFile: ImportRun;
  identifiersFile: ImportRun;
  relay?: RelayResult;
  /** One-minute load average when the run started and when it ended (the machine is shared). */
  loadAverage: [number, number];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function serviceEnv(schema: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...auth,
    DATABASE_URL: serviceRoleDatabaseUrl(),
    DATABASE_MIGRATION_URL: infra.databaseUrl,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_SCHEMA: schema,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REDIS_URL: infra.redisUrl,
    LOG_LEVEL: 'warn',
  };
}

/** An entry point of the image's build (`nx build device-registry`), as the image runs it. */
function runBuilt(
  entryPoint: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  node: string[] = [],
) {
  return spawn(
    process.execPath,
    [...node, join('dist', 'apps', 'device-registry', entryPoint), ...args],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

/** Samples a process's VmHWM until it exits (the kernel's own peak, read while it lives). */
function peakRss(child: ChildProcess): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    void rssOf(child.pid ?? 0).then(({ hwm }) => (peak = Math.max(peak, hwm)));
  }, 200);
  child.once('exit', () => clearInterval(timer));
  return () => peak;
}

async function startService(
  schema: string,
): Promise<{ child: ChildProcess; peak: () => number; startSeconds: number }> {
  const started = performance.now();
  const port = await freePort();
  const env = serviceEnv(schema, port);
  const migration = await exitOf(runBuilt('migrate.js', env));
  if (migration !== 0) throw new Error(`device-registry migration exited with ${migration}`);
  const child = runBuilt('main.js', env);
  child.stdout?.resume();
  const peak = peakRss(child);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
      const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      return health?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100, description: 'the service to become healthy' },
  );
  return { child, peak, startSeconds: (performance.now() - started) / 1000 };
}

async function importFile(schema: string, file: string, profileDir?: string): Promise<ImportRun> {
  const started = performance.now();
  const child = runBuilt(
    'devices-import.main.js',
    serviceEnv(schema, 3001),
    [file],
    profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  );
  const peak = peakRss(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await exitOf(child);
  if (code !== 0) throw new Error(`import of ${file} exited with ${code}`);
  return {
    seconds: (performance.now() - started) / 1000,
    peakRssMiB: Math.round(peak() / MiB),
    report: JSON.parse(stdout) as ImportRun['report'],
  };
}

/** An empty devices topic: the service provisions it again when it starts. */
async function deleteTopic(kafka: KafkaConnection): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  if ((await admin.listTopics()).includes(DEVICES_TOPIC.name)) {
    await admin.deleteTopics({ topics: [DEVICES_TOPIC.name] });
    await waitFor(async () => !(await admin.listTopics()).includes(DEVICES_TOPIC.name), {
      timeoutMs: 30_000,
      description: 'the devices topic to be deleted',
    });
  }
  await admin.disconnect();
}

async function files(devices: number) {
  const dir = join(tmpdir(), 'implant-trace-bench');
  await mkdir(dir, { recursive: true });
  const deviceFile = join(dir, `gudid-device-${devices}.txt`);
  const identifiersFile = join(dir, `gudid-identifiers-${devices}.txt`);
  if (!existsSync(deviceFile) || !existsSync(identifiersFile)) {
    await generateGudidFiles(devices, deviceFile, identifiersFile);
  }
  return { deviceFile, identifiersFile };
}

async function runOnce(run: number, kafka: KafkaConnection): Promise<RunResult> {
  const { deviceFile, identifiersFile } = await files(DEVICES);
  const schema = `bench_device_import_${stamp}_${run}`;
  const relays = run <= END_TO_END;
  if (relays) await deleteTopic(kafka);
  const loadAtStart = loadavg()[0] ?? 0;
  const admin = kafka.admin();
  await admin.connect();
  const db = createSchemaDataSource({ url: infra.databaseUrl, schema, poolSize: 1 });
  await db.initialize();
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  const onTopic = () => messagesOnTopic(admin, DEVICES_TOPIC.name);
  try {
    console.log(
      `run ${run}: importing ${IDENTIFIERS} identifiers` +
        (relays ? `, the relay running ${RELAY} the import` : ', no relay'),
    );
    if (relays && RELAY === 'during') service = await startService(schema);
    const started = performance.now();
    const deviceRun = await importFile(schema, deviceFile);
    const identifiersRun = await importFile(schema, identifiersFile);
    const importSeconds = (performance.now() - started) / 1000;
    const result: RunResult = {
      run,
      importSeconds: round1(importSeconds),
      deviceFile: { ...deviceRun, seconds: round1(deviceRun.seconds) },
      identifiersFile: { ...identifiersRun, seconds: round1(identifiersRun.seconds) },
      loadAverage: [round1(loadAtStart), 0],
    };
    if (relays) {
      // Read once the import has exited and before the relay starts: nothing writes to the
      // outbox any more, and the relay deletes each row it has sent.
      const [{ events }] = (await db.query(`SELECT count(*)::int AS events FROM outbox`)) as [
        { events: number },
      ];
      service ??= await startService(schema);
      const running = service;
      const drained = await waitFor(
        async () => {
          if (running.child.exitCode !== null) throw new Error('the service exited');
          // The topic first: counting the outbox every 100 ms scanned all of it each time
          // (1.2 GB at 1,000,000 identifiers) and took CPU from the relay it was timing.
          if ((await onTopic()) < events) return false;
          const [{ pending }] = (await db.query(
            `SELECT count(*)::int AS pending FROM outbox WHERE parked_at IS NULL`,
          )) as [{ pending: number }];
          return pending === 0;
        },
        { timeoutMs: DRAIN_LIMIT_MS, intervalMs: 100, description: 'every event on the topic' },
      ).then(
        () => true,
        () => false,
      );
      const endToEndSeconds = (performance.now() - started) / 1000;
      const eventsOnTopic = await onTopic();
      result.relay = {
        events,
        eventsOnTopic,
        drained,
        endToEndSeconds: round1(endToEndSeconds),
        relayTailSeconds: round1(endToEndSeconds - importSeconds),
        relayEventsPerSecond: Math.round(
          eventsOnTopic / (RELAY === 'during' ? endToEndSeconds : endToEndSeconds - importSeconds),
        ),
        serviceStartSeconds: round1(running.startSeconds),
        servicePeakRssMiB: Math.round(running.peak() / MiB),
      };
    }
    result.loadAverage[1] = round1(loadavg()[0] ?? 0);
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await admin.disconnect();
    if (service !== undefined) {
      service.child.kill('SIGTERM');
      await exitOf(service.child);
    }
    // Left on the broker, a run's 500,000 events would be read by every later consumer of the
    // topic: a test's replica took minutes to catch up with them.
    if (relays) await deleteTopic(kafka);
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
  }
}

/** Imports a tenth of the files into a fresh schema with --cpu-prof; no service, no relay. */
async function profilePass(): Promise<{
  devices: number;
  deviceFile: ProfileCost[];
  identifiersFile: ProfileCost[];
}> {
  const { deviceFile, identifiersFile } = await files(PROFILE_DEVICES);
  const schema = `bench_device_import_${stamp}_profile`;
  const dir = join(tmpdir(), `implant-trace-bench-profile-${stamp}`);
  const costs = async (file: string, name: string) => {
    await importFile(schema, file, join(dir, name));
    const [profile] = await readdir(join(dir, name));
    return topCosts(join(dir, name, profile ?? ''), 10, root);
  };
  try {
    return {
      devices: PROFILE_DEVICES,
      deviceFile: await costs(deviceFile, 'device'),
      identifiersFile: await costs(identifiersFile, 'identifiers'),
    };
  } finally {
    const db = createSchemaDataSource({ url: infra.databaseUrl, schema, poolSize: 1 });
    await db.initialize();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

const stat = (values: number[]) => ({ median: median(values), spread: spread(values) });
const cell = ({ median: m, spread: s }: { median: number; spread: string }) => `${m} (${s})`;

function costTable(
  title: string,
  costs: { deviceFile: ProfileCost[]; identifiersFile: ProfileCost[] },
) {
  const rows = Array.from(
    { length: Math.max(costs.deviceFile.length, costs.identifiersFile.length) },
    (_, i) => {
      const d = costs.deviceFile[i];
      const f = costs.identifiersFile[i];
      return `| ${i + 1} | ${d === undefined ? '' : `${d.share} % \`${d.name}\``} | ${f === undefined ? '' : `${f.share} % \`${f.name}\``} |`;
    },
  );
  return [`${title}`, '', '| # | device file | identifiers file |', '|---|---|---|', ...rows].join(
    '\n',
  );
}

async function main(): Promise<void> {
  buildService('device-registry');
  const kafka = new KafkaConnection({
    brokers: infra.kafkaBrokers,
    clientId: 'bench-device-import',
  });
  const runs: RunResult[] = [];
  for (let run = 1; run <= RUNS; run += 1) runs.push(await runOnce(run, kafka));
  const profile = await profilePass();
  const of = (pick: (r: RunResult) => number) => runs.map(pick);
  const relayed = runs.flatMap((r) => (r.relay === undefined ? [] : [r.relay]));
  const ofRelay = (pick: (r: RelayResult) => number) => relayed.map(pick);
  const summary = {
    importSeconds: stat(of((r) => r.importSeconds)),
    importPerSecond: stat(of((r) => Math.round(IDENTIFIERS / r.importSeconds))),
    deviceFileSeconds: stat(of((r) => r.deviceFile.seconds)),
    deviceFilePerSecond: stat(of((r) => Math.round(DEVICES / r.deviceFile.seconds))),
    identifiersFileSeconds: stat(of((r) => r.identifiersFile.seconds)),
    identifiersFilePerSecond: stat(
      of((r) => Math.round((IDENTIFIERS - DEVICES) / r.identifiersFile.seconds)),
    ),
    cliPeakRssMiB: stat(of((r) => Math.max(r.deviceFile.peakRssMiB, r.identifiersFile.peakRssMiB))),
    events: stat(ofRelay((r) => r.events)),
    eventsOnTopic: stat(ofRelay((r) => r.eventsOnTopic)),
    endToEndSeconds: stat(ofRelay((r) => r.endToEndSeconds)),
    endToEndPerSecond: stat(ofRelay((r) => Math.round(IDENTIFIERS / r.endToEndSeconds))),
    relayTailSeconds: stat(ofRelay((r) => r.relayTailSeconds)),
    relayEventsPerSecond: stat(ofRelay((r) => r.relayEventsPerSecond)),
    serviceStartSeconds: stat(ofRelay((r) => r.serviceStartSeconds)),
    servicePeakRssMiB: stat(ofRelay((r) => r.servicePeakRssMiB)),
    loadAverage: spread(runs.flatMap((r) => r.loadAverage)),
    maxLoad: Math.max(...runs.flatMap((r) => r.loadAverage)),
  };
  const undrained = relayed.filter((r) => !r.drained).length;
  const rejected = runs.reduce(
    (sum, r) => sum + r.deviceFile.report.rejected + r.identifiersFile.report.rejected,
    0,
  );
  const before = join(root, 'docs', 'benchmarks', 'device-import-profile-before.json');
  const baseline = existsSync(before)
    ? (JSON.parse(await readFile(before, 'utf8')) as {
        commit: string;
        date: string;
        devices: number;
        deviceFile: ProfileCost[];
        identifiersFile: ProfileCost[];
      })
    : undefined;
  const machine = `nproc ${cpus().length}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const result = {
    date: new Date().toISOString(),
    machine,
    node: process.version,
    identifiers: IDENTIFIERS,
    devices: DEVICES,
    runs: RUNS,
    endToEndRuns: END_TO_END,
    relay: RELAY,
    drainLimitSeconds: DRAIN_LIMIT_MS / 1000,
    summary,
    profile,
    raw: runs,
  };
  const docs = join(root, 'docs', 'benchmarks');
  await writeFile(join(docs, 'device-import.json'), `${JSON.stringify(result, null, 2)}\n`);
  const overloaded = summary.maxLoad > cpus().length;
  const reached = (value: number) => (value >= TARGET_PER_SECOND ? 'reached' : 'did not reach');
  const firstRun = runs[0];
  const lines = [
    '# Device import benchmark',
    '',
    `\`npm run bench:device-import -- ${IDENTIFIERS} ${RUNS} ${END_TO_END} ${RELAY}\`, ${result.date}, ` +
      `${machine}, Node ${result.node}; the import, the service, PostgreSQL and Kafka on the same machine.`,
    '',
    `Each of the ${RUNS} runs imports, into a fresh schema, a generated GUDID device file (${DEVICES} ` +
      `devices, their primary DI) and then an identifiers file (${IDENTIFIERS - DEVICES} package identifiers, ` +
      `three per device) with the build's \`devices-import.main.js\` (what \`npm run devices:import\` runs). ` +
      `"Import" is from the first file's start to the second's exit, both CLI start-ups included: the database ` +
      `side. In the first ${END_TO_END} run(s) the device-registry service, started as its image starts it ` +
      `(\`nx build\` output: migration step, then main.js), publishes the events with its own outbox relay to an ` +
      `emptied \`${DEVICES_TOPIC.name}\` topic, ` +
      (RELAY === 'during'
        ? 'running throughout the import (started before it).'
        : 'started once the import has exited, so import and relay do not share the machine.') +
      ` "End to end" runs from the import's start until every event the import wrote to the outbox is on ` +
      `the topic (waiting at most ${DRAIN_LIMIT_MS / 60_000} minutes); "relay tail" is the part after the ` +
      `import's exit${RELAY === 'after' ? ", the service's start included" : ''}. Each cell is the median ` +
      'with the spread (min-max) over the runs it names.',
    '',
    `| measure | runs | median (min-max) |`,
    '|---|---|---|',
    `| import, both files, s | ${RUNS} | ${cell(summary.importSeconds)} |`,
    `| import, identifiers/s | ${RUNS} | ${cell(summary.importPerSecond)} |`,
    `| device file, s | ${RUNS} | ${cell(summary.deviceFileSeconds)} |`,
    `| device file, identifiers/s | ${RUNS} | ${cell(summary.deviceFilePerSecond)} |`,
    `| identifiers file, s | ${RUNS} | ${cell(summary.identifiersFileSeconds)} |`,
    `| identifiers file, identifiers/s | ${RUNS} | ${cell(summary.identifiersFilePerSecond)} |`,
    `| import CLI peak RSS (VmHWM), MiB | ${RUNS} | ${cell(summary.cliPeakRssMiB)} |`,
    `| events written to the outbox | ${relayed.length} | ${cell(summary.events)} |`,
    `| events on the topic at the end | ${relayed.length} | ${cell(summary.eventsOnTopic)} |`,
    `| end to end, s | ${relayed.length} | ${cell(summary.endToEndSeconds)} |`,
    `| end to end, identifiers/s | ${relayed.length} | ${cell(summary.endToEndPerSecond)} |`,
    `| relay tail after the import, s | ${relayed.length} | ${cell(summary.relayTailSeconds)} |`,
    `| service start (migration step, then main.js until /health), s | ${relayed.length} | ${cell(summary.serviceStartSeconds)} |`,
    `| events on the topic per second of the ${RELAY === 'during' ? 'end-to-end time' : "relay tail (the service's start included)"} | ${relayed.length} | ${cell(summary.relayEventsPerSecond)} |`,
    `| service peak RSS (VmHWM), MiB | ${relayed.length} | ${cell(summary.servicePeakRssMiB)} |`,
    `| load average (1 min) at the runs' starts and ends | ${RUNS} | ${summary.loadAverage} |`,
    '',
    `Target ${TARGET_PER_SECOND} identifiers/s: the import ${reached(summary.importPerSecond.median)} it ` +
      `(median ${summary.importPerSecond.median}/s); end to end ${reached(summary.endToEndPerSecond.median)} it ` +
      `(median ${summary.endToEndPerSecond.median}/s).`,
    `Relay runs that did not publish every event within ${DRAIN_LIMIT_MS / 60_000} minutes: ${undrained} of ` +
      `${relayed.length}. Rows rejected: ${rejected}.`,
    firstRun === undefined
      ? ''
      : `Reports of run 1: device file ${JSON.stringify(firstRun.deviceFile.report)}, identifiers file ` +
        `${JSON.stringify(firstRun.identifiersFile.report)}.`,
    '',
    overloaded
      ? `The machine was loaded beyond its ${cpus().length} cores during these runs (load average up to ` +
        `${summary.maxLoad}): other work shared it, so these times are upper bounds.`
      : `The load average stayed at or below the ${cpus().length} cores (at most ${summary.maxLoad}).`,
    '',
    costTable(
      `Top self-time costs of the import CLI (\`node --cpu-prof\`, ${profile.devices} devices and ` +
        `${profile.devices * 3} identifiers into a fresh schema, no relay running), share of its samples; ` +
        '"(idle)" is the CLI waiting, mostly for PostgreSQL:',
      profile,
    ),
    '',
    baseline === undefined
      ? ''
      : costTable(
          `The same profile of the import before it was set-based (commit ${baseline.commit}, ` +
            `${baseline.devices} devices, run from the TypeScript sources), from ` +
            '`device-import-profile-before.json`:',
          baseline,
        ),
    '',
    'Raw figures: `device-import.json`.',
  ];
  // Formatted as the repository's Prettier config formats every committed Markdown file.
  const markdown = `${lines.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n')}\n`;
  const path = join(docs, 'device-import.md');
  await writeFile(
    path,
    await format(markdown, { ...(await resolveConfig(path)), parser: 'markdown' }),
  );
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
