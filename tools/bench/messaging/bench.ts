// End-to-end messaging benchmark: outbox insert -> relay -> Kafka -> consumer effect
// committed, with 1 KB events, each side in its own process as in production, beside two
// ceilings measured in the same run on the same broker: kafkajs alone producing and consuming
// the same records (our client's ceiling) and Kafka's ProducerPerformance (the broker's).
// Then the latency from the writer's commit to the effect's commit (track_commit_timestamp),
// the rebuild of a projection from events already on a topic, and a CPU profile of each
// process. Writes docs/benchmarks/messaging.md and messaging.json from what it measured.
//   npm run bench:messaging [-- --events 100000 --runs 3 --rebuild-events 1000000]
// Needs track_commit_timestamp: when it is off, the benchmark turns it on and restarts the
// machine's PostgreSQL (a postmaster setting).
import 'reflect-metadata';

import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { EVENTS } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import { loadConfig, TestInfrastructureConfig } from '@implant-trace/platform-config';
import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import {
  EventPublisher,
  KafkaConnection,
  MESSAGING_MIGRATIONS,
  OutboxRepository,
  provisionTopics,
} from '@implant-trace/platform-messaging';
import type { DataSource } from 'typeorm';

import { summariseProfiles, type ProfileSummary } from '../support/cpu-profile-summary';
import { ensureCommitTimestamps } from '../../support/commit-timestamps';
import { exitOf, median, spread } from '../support/service-process';
import { committedBy, messagesOnTopic, type TopicAdmin } from '../support/topic-progress';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    'rebuild-events': { type: 'string', default: '1000000' },
  },
});
const EVENT_COUNT = Number(args.events);
const RUNS = Number(args.runs);
const REBUILD_EVENTS = Number(args['rebuild-events']);
const LATENCY_RATE = 2_000;
const LATENCY_SECONDS = 10;
const LATENCY_TICK_MS = 50;
const PARTITIONS = 6;
const WRITERS = 4;
const EVENTS_PER_TRANSACTION = 500;
/** kafkajs requests the ceiling's producer sends at once: the relay's two lane workers. */
const CEILING_SENDERS = 2;
const CEILING_BATCH = 1_000;
const PERF_BATCH_BYTES = 262_144;
if (EVENT_COUNT <= 0 || EVENT_COUNT % (WRITERS * EVENTS_PER_TRANSACTION) !== 0) {
  // Each writer commits whole transactions: any other count would never be reached exactly.
  throw new Error(`--events must be a multiple of ${WRITERS * EVENTS_PER_TRANSACTION}`);
}

const root = join(__dirname, '..', '..', '..');
const kafkaScript = join(root, 'tools', 'kafka', 'kafka.sh');
const infra = loadConfig(TestInfrastructureConfig);
const brokers = infra.kafkaBrokers;
const stamp = Date.now().toString(36);
const topicOf = (name: string) => ({ name, key: 'implantId', partitions: PARTITIONS, config: {} });
const pipelineTopic = topicOf(`bench.messaging.${stamp}`);
const pipelineGroup = `bench-${stamp}`;
const event = { ...EVENTS.implantExplantedV1, topic: pipelineTopic };
const reason = 'x'.repeat(880); // with the other fields, a 1 KB JSON body
const say = (line: string) => process.stdout.write(`messaging: ${line}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const payload = () => ({
  implantId: uuidV7(),
  hospitalOds: 'RXH01',
  explantedAt: new Date().toISOString(),
  reason,
  recordedBy: 'bench',
});

async function schemaWithTables(schema: string): Promise<DataSource> {
  const dataSource = createSchemaDataSource({
    url: infra.databaseUrl,
    schema,
    migrations: MESSAGING_MIGRATIONS,
    poolSize: WRITERS + 2,
  });
  await dataSource.initialize();
  await prepareSchema(dataSource);
  await dataSource.query(`CREATE TABLE effects (event_id uuid NOT NULL)`);
  await dataSource.query(`CREATE TABLE writes (event_id uuid NOT NULL)`);
  return dataSource;
}

interface Child {
  process: ChildProcess;
  lines: string[];
}

/** A bench process; resolves once it printed `ready`. */
async function startChild(script: string, input: object, profileDir?: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
      '-r',
      '@swc-node/register',
      join(__dirname, script),
      JSON.stringify(input),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  if (child.stdout !== null)
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const started = Date.now();
  while (!lines.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    if (Date.now() - started > 60_000) throw new Error(`${script} did not start in 60 s`);
    await pause(20);
  }
  return { process: child, lines };
}

async function stopChild(child: Child): Promise<void> {
  child.process.kill('SIGTERM');
  await exitOf(child.process);
}

const count = async (dataSource: DataSource, table: 'effects' | 'writes') =>
  ((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as [{ n: number }])[0].n;

/** Once the offsets say every effect is in, the one count that checks it. */
async function expectEffects(dataSource: DataSource, expected: number): Promise<void> {
  const effects = await count(dataSource, 'effects');
  if (effects !== expected) throw new Error(`${effects} effects, expected ${expected}`);
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

/** The commit time of the last effect, in epoch ms. */
async function lastEffectCommit(dataSource: DataSource): Promise<number> {
  const [{ at }] = (await dataSource.query(
    `SELECT extract(epoch FROM max(pg_xact_commit_timestamp(xmin))) * 1000 AS at FROM effects`,
  )) as [{ at: string }];
  return Number(at);
}

interface PipelineRun {
  eventsPerSecond: number;
  insertedPerSecond: number;
  relayedPerSecond: number;
}

/** Writers commit `EVENT_COUNT` events; timed until the last effect committed. */
async function pipelineRun(dataSource: DataSource, publisher: EventPublisher, admin: TopicAdmin) {
  const before = await count(dataSource, 'effects');
  const target = (await messagesOnTopic(admin, pipelineTopic.name)) + EVENT_COUNT;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let sent = 0; sent < EVENT_COUNT / WRITERS; sent += EVENTS_PER_TRANSACTION) {
        await dataSource.transaction((tx) =>
          publisher.publishMany(
            tx,
            event,
            Array.from({ length: EVENTS_PER_TRANSACTION }, () => ({ data: payload() })),
          ),
        );
      }
    }),
  );
  const insertedAt = Date.now();
  await until(
    async () => (await messagesOnTopic(admin, pipelineTopic.name)) >= target,
    'the relay to send everything',
  );
  const relayedAt = Date.now();
  await until(
    async () => (await committedBy(admin, pipelineGroup, pipelineTopic.name)) >= target,
    'every effect',
  );
  await expectEffects(dataSource, before + EVENT_COUNT);
  const seconds = (at: number) => (at - startedAt) / 1000;
  return {
    eventsPerSecond: round(EVENT_COUNT / seconds(await lastEffectCommit(dataSource))),
    insertedPerSecond: round(EVENT_COUNT / seconds(insertedAt)),
    relayedPerSecond: round(EVENT_COUNT / seconds(relayedAt)),
  } satisfies PipelineRun;
}

interface LatencyRun {
  events: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A steady rate; each transaction also records its event ids, for its commit timestamp. */
async function latencyRun(
  dataSource: DataSource,
  publisher: EventPublisher,
  admin: TopicAdmin,
): Promise<LatencyRun> {
  await dataSource.query(`TRUNCATE effects, writes`);
  const target =
    (await messagesOnTopic(admin, pipelineTopic.name)) + LATENCY_RATE * LATENCY_SECONDS;
  const perTick = (LATENCY_RATE * LATENCY_TICK_MS) / 1000;
  const ticks = (LATENCY_SECONDS * 1000) / LATENCY_TICK_MS;
  const startedAt = performance.now();
  for (let tick = 0; tick < ticks; tick += 1) {
    await dataSource.transaction(async (tx) => {
      const ids = await publisher.publishMany(
        tx,
        event,
        Array.from({ length: perTick }, () => ({ data: payload() })),
      );
      await tx.query(`INSERT INTO writes (event_id) SELECT unnest($1::uuid[])`, [ids]);
    });
    await pause(Math.max(0, startedAt + (tick + 1) * LATENCY_TICK_MS - performance.now()));
  }
  await until(
    async () => (await committedBy(admin, pipelineGroup, pipelineTopic.name)) >= target,
    'every effect',
  );
  await expectEffects(dataSource, perTick * ticks);
  const rows = (await dataSource.query(
    `SELECT extract(epoch FROM pg_xact_commit_timestamp(e.xmin) - pg_xact_commit_timestamp(w.xmin)) * 1000 AS ms
     FROM effects e JOIN writes w USING (event_id)`,
  )) as { ms: string }[];
  const sorted = rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
  return {
    events: sorted.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p95Ms: round(percentile(sorted, 95), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted[sorted.length - 1] ?? NaN, 1),
  };
}

interface SampleRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Records exactly as the relay sends them: written by the publisher, read back, rolled back. */
async function sampleRecords(dataSource: DataSource, publisher: EventPublisher) {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await publisher.publishMany(
      runner.manager,
      event,
      Array.from({ length: CEILING_BATCH }, () => ({ data: payload() })),
    );
    const rows = (await runner.query(
      `SELECT message_key AS key, payload AS value, headers FROM outbox ORDER BY id DESC LIMIT $1`,
      [CEILING_BATCH],
    )) as SampleRecord[];
    return rows;
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

/** kafkajs alone: the same records through the same producer and consumer settings. */
async function kafkajsCeiling(kafka: KafkaConnection, records: SampleRecord[], run: number) {
  const topic = topicOf(`bench.ceiling.kafkajs.${stamp}.${run}`);
  await provisionTopics(kafka, [topic]);
  const consumer = await startChild('ceiling-consumer-process.ts', {
    brokers,
    topic: topic.name,
    groupId: `bench-ceiling-${stamp}-${run}`,
    count: EVENT_COUNT,
  });
  const producer = kafka.idempotentProducer();
  await producer.connect();
  const startedAt = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CEILING_SENDERS }, async () => {
      while (next < EVENT_COUNT) {
        const size = Math.min(CEILING_BATCH, EVENT_COUNT - next);
        next += size;
        // A fresh key per record, as every event of the pipeline has its own implant id.
        const messages = records.slice(0, size).map((record) => ({ ...record, key: uuidV7() }));
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topic.name, messages }] });
      }
    }),
  );
  await producer.disconnect();
  await until(async () => consumer.lines.some((line) => line.startsWith('done ')), 'the consumer');
  const doneAt = Number(consumer.lines.find((line) => line.startsWith('done '))?.slice(5));
  await exitOf(consumer.process);
  return round(EVENT_COUNT / ((doneAt - startedAt) / 1000));
}

/** The broker's own producer with our producer's guarantees: acks=all, idempotent, one in flight. */
function producerPerformanceCeiling(run: number): number {
  const topic = `bench.ceiling.perf.${stamp}.${run}`;
  const classpath = execFileSync('bash', [kafkaScript, 'classpath', 'tools'], {
    encoding: 'utf8',
  }).trim();
  const bootstrap = brokers[0] ?? '';
  execFileSync(
    'java',
    [
      '-cp',
      classpath,
      'org.apache.kafka.tools.TopicCommand',
      '--bootstrap-server',
      bootstrap,
      '--create',
      '--topic',
      topic,
      '--partitions',
      String(PARTITIONS),
    ],
    { stdio: 'ignore' },
  );
  const output = execFileSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(EVENT_COUNT),
      '--record-size',
      '1024',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=all',
      'enable.idempotence=true',
      'max.in.flight.requests.per.connection=1',
      // The relay sends up to 1,000 rows a request: about 170 KB for each of 6 partitions.
      `batch.size=${PERF_BATCH_BYTES}`,
      'linger.ms=5',
    ],
    { encoding: 'utf8' },
  );
  const summary = output.trim().split('\n').pop() ?? '';
  const match = /([\d.]+) records\/sec/.exec(summary);
  if (!match?.[1]) throw new Error(`unexpected ProducerPerformance output: ${summary}`);
  return round(Number(match[1]));
}

/** Events already on a topic, applied by a consumer of a new group into a new schema. */
async function rebuildRun(
  admin: TopicAdmin,
  topic: ReturnType<typeof topicOf>,
  run: number,
  handler: 'each' | 'batch',
  profileDir?: string,
) {
  const schema = `bench_rebuild_${handler}_${stamp}_${run}`;
  const groupId = `bench-rebuild-${handler}-${stamp}-${run}`;
  const dataSource = await schemaWithTables(schema);
  const consumer = await startChild(
    'consumer-process.ts',
    {
      databaseUrl: infra.databaseUrl,
      schema,
      brokers,
      topic,
      groupId,
      handler,
    },
    profileDir,
  );
  const startedAt = Date.now();
  await until(
    async () => (await committedBy(admin, groupId, topic.name)) >= REBUILD_EVENTS,
    'the rebuild',
    3_600_000,
  );
  await expectEffects(dataSource, REBUILD_EVENTS);
  const eventsPerSecond = round(
    REBUILD_EVENTS / (((await lastEffectCommit(dataSource)) - startedAt) / 1000),
  );
  await stopChild(consumer);
  await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource.destroy();
  return eventsPerSecond;
}

/** The rebuild's history: the same 1 KB events, written straight to the topic. */
async function fillRebuildTopic(kafka: KafkaConnection, records: SampleRecord[]) {
  const topic = topicOf(`bench.rebuild.${stamp}`);
  await provisionTopics(kafka, [topic]);
  const producer = kafka.idempotentProducer();
  await producer.connect();
  for (let sent = 0; sent < REBUILD_EVENTS; sent += CEILING_BATCH) {
    const messages = records
      .slice(0, Math.min(CEILING_BATCH, REBUILD_EVENTS - sent))
      .map((record) => {
        const id = uuidV7();
        const implantId = uuidV7();
        const data = { ...(JSON.parse(record.value) as object), implantId };
        return {
          key: implantId,
          value: JSON.stringify(data),
          headers: { ...record.headers, ce_id: id, ce_subject: implantId },
        };
      });
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topic.name, messages }] });
  }
  await producer.disconnect();
  return topic;
}

const summary = (values: number[]) => ({
  median: median(values),
  spread: spread(values),
  runs: values,
});

async function measure() {
  const loadAtStart = round(loadavg()[0] ?? 0, 1);
  execFileSync('bash', [kafkaScript, 'start'], { stdio: 'inherit' });
  const probe = createSchemaDataSource({ url: infra.databaseUrl, schema: 'public' });
  await probe.initialize();
  await ensureCommitTimestamps(probe, say).finally(() => probe.destroy());

  const kafka = new KafkaConnection({ brokers, clientId: 'bench-messaging' });
  const schema = `bench_messaging_${stamp}`;
  const dataSource = await schemaWithTables(schema);
  await provisionTopics(kafka, [pipelineTopic]);
  const admin = kafka.admin();
  await admin.connect();
  const publisher = new EventPublisher('bench', new OutboxRepository(dataSource));
  const processes = (profileDirs?: { relay: string; consumer: string }) =>
    Promise.all([
      startChild(
        'relay-process.ts',
        { databaseUrl: infra.databaseUrl, schema, brokers },
        profileDirs?.relay,
      ),
      startChild(
        'consumer-process.ts',
        {
          databaseUrl: infra.databaseUrl,
          schema,
          brokers,
          topic: pipelineTopic,
          groupId: pipelineGroup,
        },
        profileDirs?.consumer,
      ),
    ]);

  let [relay, consumer] = await processes();
  say('warming up');
  await pipelineRun(dataSource, publisher, admin);

  const pipeline: PipelineRun[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    pipeline.push(await pipelineRun(dataSource, publisher, admin));
    say(`pipeline run ${run}: ${JSON.stringify(pipeline[pipeline.length - 1])}`);
  }
  const latency: LatencyRun[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    latency.push(await latencyRun(dataSource, publisher, admin));
    say(`latency run ${run}: ${JSON.stringify(latency[latency.length - 1])}`);
  }
  await Promise.all([stopChild(relay), stopChild(consumer)]);

  say('profiling one more pipeline run');
  const profileDirs = {
    relay: mkdtempSync(join(tmpdir(), 'bench-messaging-relay-')),
    consumer: mkdtempSync(join(tmpdir(), 'bench-messaging-consumer-')),
  };
  [relay, consumer] = await processes(profileDirs);
  await pipelineRun(dataSource, publisher, admin);
  await Promise.all([stopChild(relay), stopChild(consumer)]);
  const pipelineProfile: Record<'relay' | 'consumer', ProfileSummary> = {
    relay: summariseProfiles(profileDirs.relay),
    consumer: summariseProfiles(profileDirs.consumer),
  };

  const records = await sampleRecords(dataSource, publisher);
  const kafkajs: number[] = [];
  const producerPerformance: number[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    kafkajs.push(await kafkajsCeiling(kafka, records, run));
    producerPerformance.push(producerPerformanceCeiling(run));
    say(
      `ceiling run ${run}: kafkajs ${kafkajs[run - 1]}/s, ProducerPerformance ${producerPerformance[run - 1]}/s`,
    );
  }

  say(`rebuild: writing ${REBUILD_EVENTS} events to a topic`);
  const rebuildTopic = await fillRebuildTopic(kafka, records);
  const rebuild: number[] = [];
  const batchRebuild: number[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    rebuild.push(await rebuildRun(admin, rebuildTopic, run, 'each'));
    batchRebuild.push(await rebuildRun(admin, rebuildTopic, run, 'batch'));
    say(
      `rebuild run ${run}: ${rebuild[run - 1]} events/s by a handler per event, ${batchRebuild[run - 1]} by a batch handler`,
    );
  }

  say('profiling one more rebuild by a batch handler');
  const rebuildProfileDir = mkdtempSync(join(tmpdir(), 'bench-messaging-rebuild-'));
  await rebuildRun(admin, rebuildTopic, RUNS + 1, 'batch', rebuildProfileDir);
  const profile: Record<'relay' | 'consumer' | 'rebuild', ProfileSummary> = {
    ...pipelineProfile,
    rebuild: summariseProfiles(rebuildProfileDir),
  };

  await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource.destroy();
  const benchTopics = (await admin.listTopics()).filter((name) => name.includes(stamp));
  await admin.deleteTopics({ topics: benchTopics });
  await admin.disconnect();

  const pipelineRate = summary(pipeline.map((r) => r.eventsPerSecond));
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    node: process.version,
    kafka: '4.4.0 (local KRaft, one node)',
    loadAverage: [loadAtStart, round(loadavg()[0] ?? 0, 1)],
    runs: RUNS,
    partitions: PARTITIONS,
    eventBytes: 1024,
    pipelineEvents: EVENT_COUNT,
    writers: WRITERS,
    eventsPerTransaction: EVENTS_PER_TRANSACTION,
    pipelineEventsPerSecond: pipelineRate,
    outboxInsertEventsPerSecond: summary(pipeline.map((r) => r.insertedPerSecond)),
    relayedEventsPerSecond: summary(pipeline.map((r) => r.relayedPerSecond)),
    kafkajsCeilingRecordsPerSecond: summary(kafkajs),
    producerPerformanceRecordsPerSecond: summary(producerPerformance),
    ratioToKafkajs: round(pipelineRate.median / median(kafkajs), 3),
    ratioToProducerPerformance: round(pipelineRate.median / median(producerPerformance), 3),
    latencyRatePerSecond: LATENCY_RATE,
    latencySeconds: LATENCY_SECONDS,
    latency: {
      runs: latency,
      p50Ms: summary(latency.map((r) => r.p50Ms)),
      p99Ms: summary(latency.map((r) => r.p99Ms)),
      maxMs: summary(latency.map((r) => r.maxMs)),
    },
    rebuildEvents: REBUILD_EVENTS,
    rebuildEventsPerSecond: summary(rebuild),
    batchRebuildEventsPerSecond: summary(batchRebuild),
    profile,
  };
  return result;
}

export type MessagingResult = Awaited<ReturnType<typeof measure>>;

async function main(): Promise<void> {
  const result = await measure();
  const docs = join(root, 'docs', 'benchmarks');
  writeFileSync(join(docs, 'messaging.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(docs, 'messaging.md'), report(result));
  // The results are committed, so they get the repository's formatting.
  execFileSync(join(root, 'node_modules', '.bin', 'prettier'), [
    '--log-level',
    'warn',
    '--write',
    docs,
  ]);
}

const int = (value: number) => Math.round(value).toLocaleString('en-GB');
const rate = (s: { median: number; spread: string }) =>
  `${int(s.median)}/s (${s.spread.split('-').map(Number).map(int).join('-')})`;
const percent = (share: number) => `${share.toFixed(1)} %`;

function profileTables(name: string, profile: ProfileSummary): string[] {
  return [
    `### ${name}: ${Math.round(profile.sampledMs)} ms sampled, ${percent(profile.idleShare)} idle`,
    '',
    '| package | share |',
    '|---|---|',
    ...profile.byPackage.map((line) => `| ${line.name} | ${percent(line.share)} |`),
    '',
    '| function (self time) | share |',
    '|---|---|',
    ...profile.byFunction.map(
      (line) => `| ${line.name.replaceAll('|', '\\|')} | ${percent(line.share)} |`,
    ),
    '',
  ];
}

function report(result: MessagingResult): string {
  const target = (met: boolean) => (met ? 'met' : '**not met**');
  const { latency, profile } = result;
  const lines = [
    '# Messaging benchmark',
    '',
    `\`npm run bench:messaging\` (tools/bench/messaging/bench.ts), ${result.date}; ${result.machine}; ` +
      `Node ${result.node}; Kafka ${result.kafka}; broker, PostgreSQL and every process on the same machine; ` +
      `load average (1 min) ${result.loadAverage[0]} at the start, ${result.loadAverage[1]} at the end.`,
    '',
    `Each figure is the median of ${result.runs} runs, with the spread (min-max). Events are 1 KB, ` +
      `${result.partitions} partitions, ${result.writers} writers committing ${result.eventsPerTransaction} ` +
      `events per transaction; the relay and the consumer each run in a process of their own.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| pipeline: outbox insert -> relay -> Kafka -> consumer effect committed, ${int(result.pipelineEvents)} events | ${rate(result.pipelineEventsPerSecond)} | at least 12,000/s: ${target(result.pipelineEventsPerSecond.median >= 12_000)} |`,
    `| of which: outbox inserts committed | ${rate(result.outboxInsertEventsPerSecond)} | |`,
    `| of which: inserted and sent by the relay | ${rate(result.relayedEventsPerSecond)} | |`,
    `| client ceiling: kafkajs alone, the same records produced (acks=all, idempotent, ${CEILING_SENDERS} senders of ${CEILING_BATCH}) and consumed (committing per batch) | ${rate(result.kafkajsCeilingRecordsPerSecond)} | |`,
    `| broker ceiling: Kafka ProducerPerformance, ${int(result.pipelineEvents)} x 1 KB, acks=all, idempotent, one request in flight, batch.size ${PERF_BATCH_BYTES}, linger.ms 5 | ${rate(result.producerPerformanceRecordsPerSecond)} | |`,
    `| pipeline / client ceiling | ${result.ratioToKafkajs} | |`,
    `| pipeline / broker ceiling | ${result.ratioToProducerPerformance} | |`,
    `| writer's commit to effect's commit at ${int(result.latencyRatePerSecond)} events/s for ${result.latencySeconds} s: p50 | ${latency.p50Ms.median} ms (${latency.p50Ms.spread}) | |`,
    `| the same: p99 | ${latency.p99Ms.median} ms (${latency.p99Ms.spread}) | under 100 ms: ${target(latency.p99Ms.median < 100)} |`,
    `| the same: max | ${latency.maxMs.median} ms (${latency.maxMs.spread}) | |`,
    `| projection rebuilt from ${int(result.rebuildEvents)} events on a topic (new consumer group, one effect row per event, handler per event) | ${rate(result.rebuildEventsPerSecond)} | at least 20,000/s: ${target(result.rebuildEventsPerSecond.median >= 20_000)} |`,
    `| the same, by a batch handler (one multi-row insert per run of events) | ${rate(result.batchRebuildEventsPerSecond)} | at least 20,000/s: ${target(result.batchRebuildEventsPerSecond.median >= 20_000)} |`,
    '',
    "Latency is measured by PostgreSQL itself: `pg_xact_commit_timestamp` of the writer's transaction and of the " +
      "consumer's (track_commit_timestamp).",
    '',
    '## Where the time goes',
    '',
    `CPU profiles (\`node --cpu-prof\`) of the relay and the consumer processes over one more pipeline run of ` +
      `${int(result.pipelineEvents)} events. Idle is time spent waiting on PostgreSQL or Kafka; shares are of the busy time.`,
    '',
    ...(['relay', 'consumer'] as const).flatMap((name) => profileTables(name, profile[name])),
    `And of the consumer over one more rebuild of ${int(result.rebuildEvents)} events by the batch handler:`,
    '',
    ...profileTables('rebuild consumer (batch handler)', profile.rebuild),
    'Raw numbers: messaging.json beside this file. Each run measures every side again; never reuse a number from another run.',
    '',
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
