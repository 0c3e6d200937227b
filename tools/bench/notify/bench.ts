// Notifications benchmark: the real notifications service in its own process (migration step,
// then main.ts as the least-privilege role), 300 hospitals subscribed to recall.match.found, one
// receiver process answering for all of them and verifying every signature; 100,000 match
// events published to recall-matching.matches.v1 through EventPublisher and OutboxRelay. Measures
// the time until every event has been delivered and verified, healthy endpoints only, and the
// same with 10 % of the endpoints answering 503. Each scenario three times, each run from empty
// topics and a fresh schema. Writes docs/benchmarks/notify.md and notify.json.
//   node -r @swc-node/register tools/bench/notify/bench.ts [EVENTS] [RUNS]
import 'reflect-metadata';

import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import type { RecallMatchFoundV1 } from '@implant-trace/contracts';
import { deadLetterTopicOf, EVENTS, MATCHES_TOPIC } from '@implant-trace/contracts';
import { testNhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import {
  EventPublisher,
  KafkaConnection,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  OutboxRepository,
  provisionTopics,
} from '@implant-trace/platform-messaging';
import {
  serviceRoleDatabaseUrl,
  testInfrastructure,
  waitFor,
} from '@implant-trace/platform-testing';

const root = join(__dirname, '..', '..', '..');
const EVENT_COUNT = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
const HOSPITALS = 300;
const FAILING_SHARE = 0.1;
const WORKER_CONCURRENCY = 128;
const ENDPOINT_CONCURRENCY = 4;
const ISSUER = 'implant-trace-bench';
const AUDIENCE = 'implant-trace';
const SERVICE_GROUP = 'notifications';

const infra = testInfrastructure();
const stamp = Date.now().toString(36);
const publisherSchema = `bench_notify_publisher_${stamp}`;
const jwtSecret = randomBytes(32).toString('hex');

interface ReceiverStats {
  requests: number;
  verified: number;
  duplicates: number;
  rejected: number;
  failedAnswers: number;
}

interface RunResult {
  scenario: 'healthy' | 'failing';
  events: number;
  expectedDeliveries: number;
  fannedOutSeconds: number;
  deliveredSeconds: number;
  deliveriesPerSecond: number;
  receiver: ReceiverStats;
  failingAttempts: number;
  /** One-minute load average when the run started and when it ended (the machine is shared). */
  loadAverage: [number, number];
}

/** ODS codes of the bench's hospitals: B0A00 ... (letter, digit, letter, digit, letter). */
function hospitalOds(index: number): string {
  const letter = (n: number) => String.fromCharCode(65 + (n % 26));
  return `B${Math.floor(index / 26) % 10}${letter(index)}${Math.floor(index / 260) % 10}Z`;
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

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

async function startReceiver(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'receiver-process.ts')],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Starts the service as npm start does: migration as the owner, then main.ts least-privileged. */
async function startService(port: number, schema: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: serviceRoleDatabaseUrl(),
    DATABASE_MIGRATION_URL: infra.databaseUrl,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_SCHEMA: schema,
    AUTH_JWT_SECRET: jwtSecret,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    LOG_LEVEL: 'warn',
    HTTP_RATE_LIMIT_PER_ADDRESS: String(100_000_000),
    // The receiver runs on loopback, which only local runs allow.
    WEBHOOK_ALLOW_LOOPBACK_URLS: 'true',
    WEBHOOK_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
    WEBHOOK_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
  };
  const run = (entryPoint: string) =>
    spawn(
      process.execPath,
      ['-r', '@swc-node/register', join('apps', 'notifications', 'src', entryPoint)],
      { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
  const migration = await exitOf(run('migrate.ts'));
  if (migration !== 0) throw new Error(`notifications migration exited with ${migration}`);
  const child = run('main.ts');
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
      return (
        (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200
      );
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'the service to become healthy' },
  );
  return child;
}

/** Empty matches topics and no committed offsets: each run's service reads only its events. */
async function resetTopics(kafka: KafkaConnection): Promise<void> {
  const names = [MATCHES_TOPIC.name, deadLetterTopicOf(MATCHES_TOPIC.name)];
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([SERVICE_GROUP]).catch(() => undefined);
  const existing = (await admin.listTopics()).filter((name) => names.includes(name));
  if (existing.length > 0) await admin.deleteTopics({ topics: existing });
  await waitFor(async () => !(await admin.listTopics()).some((name) => names.includes(name)), {
    timeoutMs: 30_000,
    description: 'earlier runs’ topics to be deleted',
  });
  await admin.disconnect();
  await provisionTopics(kafka, [MATCHES_TOPIC]);
}

function match(index: number): RecallMatchFoundV1 {
  return {
    matchId: randomUUID(),
    recallId: '01234567-89ab-7def-8123-456789abcdef',
    implantId: randomUUID(),
    hospitalOds: hospitalOds(index % HOSPITALS),
    match: 'matched',
    patient: { nhsNumber: testNhsNumber(index % 100_000) },
    udi: {
      format: 'gs1',
      issuingAgency: 'GS1',
      deviceIdentifier: '05012345678900',
      lotNumber: 'LOT-R1',
    },
    foundAt: new Date().toISOString(),
  };
}

async function receiverStats(url: string): Promise<ReceiverStats> {
  return (await (await fetch(`${url}/__stats`)).json()) as ReceiverStats;
}

async function runOnce(
  scenario: RunResult['scenario'],
  kafka: KafkaConnection,
  receiverUrl: string,
): Promise<RunResult> {
  await resetTopics(kafka);
  const loadAtStart = loadavg()[0] ?? 0;
  const schema = `bench_notify_${stamp}_${scenario}_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const service = await startService(port, schema);
  const baseUrl = `http://127.0.0.1:${port}`;
  const failing = new Set(
    Array.from({ length: Math.round(HOSPITALS * FAILING_SHARE) }, (_, i) =>
      hospitalOds(Math.floor(i / FAILING_SHARE)),
    ),
  );
  const secrets: Record<string, string> = {};
  for (let index = 0; index < HOSPITALS; index += 1) {
    const ods = hospitalOds(index);
    const bearer = await mintDevelopmentToken({
      role: 'hospital-system',
      ods,
      secret: jwtSecret,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const response = await fetch(`${baseUrl}/v1/subscriptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ url: `${receiverUrl}/h/${ods}`, eventTypes: ['recall.match.found'] }),
    });
    if (response.status !== 201) throw new Error(`subscribe ${ods}: ${response.status}`);
    secrets[ods] = ((await response.json()) as { secret: string }).secret;
  }
  await fetch(`${receiverUrl}/__config`, {
    method: 'POST',
    body: JSON.stringify({
      secrets,
      failing: scenario === 'failing' ? [...failing] : [],
    }),
  });

  const dataSource = createSchemaDataSource({
    url: infra.databaseUrl,
    schema: publisherSchema,
    migrations: MESSAGING_MIGRATIONS,
    poolSize: 4,
  });
  await dataSource.initialize();
  await prepareSchema(dataSource);
  await dataSource.query(`TRUNCATE outbox`);
  const publisher = new EventPublisher('bench-notify', new OutboxRepository(dataSource));
  const relay = new OutboxRelay(new OutboxRepository(dataSource), kafka, {
    relayId: `bench-notify-relay-${stamp}`,
    batchSize: 1000,
  });
  const failingEvents = Array.from({ length: EVENT_COUNT }, (_, i) => i).filter((i) =>
    failing.has(hospitalOds(i % HOSPITALS)),
  ).length;
  const expected = scenario === 'failing' ? EVENT_COUNT - failingEvents : EVENT_COUNT;
  const service_db = createSchemaDataSource({ url: infra.databaseUrl, schema, poolSize: 2 });
  await service_db.initialize();

  console.log(`${scenario}: publishing ${EVENT_COUNT} match events`);
  const started = performance.now();
  await relay.start();
  for (let from = 0; from < EVENT_COUNT; from += 1000) {
    const count = Math.min(1000, EVENT_COUNT - from);
    await dataSource.transaction((tx) =>
      publisher.publishMany(
        tx,
        EVENTS.recallMatchFoundV1,
        Array.from({ length: count }, (_, i) => ({ data: match(from + i) })),
      ),
    );
  }
  let fannedOutSeconds = 0;
  await waitFor(
    async () => {
      if (service.exitCode !== null) throw new Error(`service exited with ${service.exitCode}`);
      if (fannedOutSeconds === 0) {
        const [row] = (await service_db.query(`SELECT count(*)::int AS n FROM deliveries`)) as [
          { n: number },
        ];
        if (row.n >= EVENT_COUNT) fannedOutSeconds = (performance.now() - started) / 1000;
      }
      return (await receiverStats(receiverUrl)).verified >= expected;
    },
    { timeoutMs: 3_600_000, intervalMs: 200, description: 'every deliverable event verified' },
  );
  const deliveredSeconds = (performance.now() - started) / 1000;
  if (fannedOutSeconds === 0) fannedOutSeconds = deliveredSeconds;
  const receiver = await receiverStats(receiverUrl);
  const [attempts] = (await service_db.query(
    `SELECT count(*)::int AS n FROM delivery_attempts a JOIN deliveries d USING (delivery_id)
      WHERE d.hospital_ods = ANY($1::text[])`,
    [[...failing]],
  )) as [{ n: number }];
  await relay.stop();
  service.kill('SIGTERM');
  await exitOf(service);
  await service_db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await service_db.destroy();
  await dataSource.destroy();
  const result: RunResult = {
    scenario,
    events: EVENT_COUNT,
    expectedDeliveries: expected,
    fannedOutSeconds: Math.round(fannedOutSeconds * 10) / 10,
    deliveredSeconds: Math.round(deliveredSeconds * 10) / 10,
    deliveriesPerSecond: Math.round(expected / deliveredSeconds),
    receiver,
    failingAttempts: scenario === 'failing' ? attempts.n : 0,
    loadAverage: [Math.round(loadAtStart * 10) / 10, Math.round((loadavg()[0] ?? 0) * 10) / 10],
  };
  console.log(JSON.stringify(result));
  return result;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const spread = (values: number[]) => `${Math.min(...values)}-${Math.max(...values)}`;

async function main(): Promise<void> {
  const kafka = new KafkaConnection({ brokers: infra.kafkaBrokers, clientId: 'bench-notify' });
  const receiver = await startReceiver();
  const runs: RunResult[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    runs.push(await runOnce('healthy', kafka, receiver.url));
    runs.push(await runOnce('failing', kafka, receiver.url));
  }
  receiver.child.kill('SIGTERM');
  const cleanup = createSchemaDataSource({ url: infra.databaseUrl, schema: publisherSchema });
  await cleanup.initialize();
  await cleanup.query(`DROP SCHEMA IF EXISTS "${publisherSchema}" CASCADE`);
  await cleanup.destroy();

  const summary = (['healthy', 'failing'] as const).map((scenario) => {
    const of = (pick: (r: RunResult) => number) =>
      runs.filter((r) => r.scenario === scenario).map(pick);
    return {
      scenario,
      expectedDeliveries: of((r) => r.expectedDeliveries)[0] ?? 0,
      deliveredSeconds: {
        median: median(of((r) => r.deliveredSeconds)),
        spread: spread(of((r) => r.deliveredSeconds)),
      },
      fannedOutSeconds: {
        median: median(of((r) => r.fannedOutSeconds)),
        spread: spread(of((r) => r.fannedOutSeconds)),
      },
      deliveriesPerSecond: {
        median: median(of((r) => r.deliveriesPerSecond)),
        spread: spread(of((r) => r.deliveriesPerSecond)),
      },
      duplicates: of((r) => r.receiver.duplicates).reduce((a, b) => a + b, 0),
      rejected: of((r) => r.receiver.rejected).reduce((a, b) => a + b, 0),
      failingAttempts: {
        median: median(of((r) => r.failingAttempts)),
        spread: spread(of((r) => r.failingAttempts)),
      },
      loadAverage: spread(
        runs.filter((r) => r.scenario === scenario).flatMap((r) => r.loadAverage),
      ),
    };
  });
  const result = {
    date: new Date().toISOString(),
    machine: `nproc ${cpus().length}, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    node: process.version,
    events: EVENT_COUNT,
    hospitals: HOSPITALS,
    failingShare: FAILING_SHARE,
    workerConcurrency: WORKER_CONCURRENCY,
    endpointConcurrency: ENDPOINT_CONCURRENCY,
    runs: RUNS,
    summary,
    raw: runs,
  };
  console.log(JSON.stringify(summary, null, 2));
  const docs = join(root, 'docs', 'benchmarks');
  await writeFile(join(docs, 'notify.json'), `${JSON.stringify(result, null, 2)}\n`);
  const label = { healthy: 'every endpoint healthy', failing: '10 % of endpoints answering 503' };
  const rows = summary
    .map(
      (s) =>
        `| ${label[s.scenario]} | ${s.expectedDeliveries} | ${s.fannedOutSeconds.median} (${s.fannedOutSeconds.spread}) | ` +
        `${s.deliveredSeconds.median} (${s.deliveredSeconds.spread}) | ${s.deliveriesPerSecond.median} (${s.deliveriesPerSecond.spread}) | ` +
        `${s.duplicates} | ${s.rejected} | ${s.scenario === 'failing' ? `${s.failingAttempts.median} (${s.failingAttempts.spread})` : '-'} | ${s.loadAverage} |`,
    )
    .join('\n');
  await writeFile(
    join(docs, 'notify.md'),
    `# Notifications benchmark\n\n` +
      `\`node -r @swc-node/register tools/bench/notify/bench.ts ${EVENT_COUNT} ${RUNS}\`, ${result.date}, ${result.machine}, ` +
      `Node ${result.node}; the service, PostgreSQL, Kafka and the receiver on the same machine.\n\n` +
      `The real notifications service (its migration step, then main.ts as the least-privilege role, a fresh schema ` +
      `and empty matches topic each run; ${WORKER_CONCURRENCY} sends in flight at most, ${ENDPOINT_CONCURRENCY} per endpoint) ` +
      `with ${HOSPITALS} hospitals subscribed to recall.match.found, each at its own path of one receiver process on loopback ` +
      `that verifies every request with the standardwebhooks package. ${EVENT_COUNT} match events, spread evenly over the ` +
      `hospitals, are published to recall-matching.matches.v1 through EventPublisher and OutboxRelay; the clock starts ` +
      `when publishing starts. "Fanned out" is when every event had its delivery row; "delivered" when the receiver had ` +
      `verified every deliverable event once. In the failing scenario ${Math.round(HOSPITALS * FAILING_SHARE)} endpoints ` +
      `answer 503 to everything: their events are not deliverable and stay pending on the retry schedule while their ` +
      `circuits open. Each cell is the median of ${RUNS} runs with the spread (min-max).\n\n` +
      `| scenario | deliverable events | fanned out s | delivered s | deliveries/s | duplicates | rejected signatures | attempts to failing endpoints | load average (1 min, runs' starts and ends) |\n` +
      `|---|---|---|---|---|---|---|---|---|\n${rows}\n\n` +
      `The machine is shared with other work (${cpus().length} cores): a load average above the core count means the ` +
      `runs competed for CPU, and the numbers are lower bounds.\n\n` +
      `Raw numbers: notify.json beside this file.\n`,
  );
  execFileSync(join(root, 'node_modules', '.bin', 'prettier'), [
    '--log-level',
    'warn',
    '--write',
    join(docs, 'notify.md'),
    join(docs, 'notify.json'),
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
