// Recall benchmark: the real recall-matching service (its nx build output, its migration step,
// main.js as the least-privilege role, a broker of its own) over a projection of IMPLANTS
// implants and a catalogue replica of DEVICES devices, bulk-loaded with COPY into the tables its
// migrations made. Times dry runs (one device and 3 lots, a serial range, a product line)
// through POST /v1/recall-queries beside the same SQL run bare, issuing the product-line recall
// until every match event is on recall-matching.matches.v1, and a fresh service building its
// projection from implant.recorded events. Writes docs/benchmarks/recall.md and recall.json.
//   npm run bench:recall -- [--implants 10000000] [--devices 200000] [--hospitals 300]
//     [--runs 5] [--issue-runs 3] [--rebuild-events 1000000]
import 'reflect-metadata';

import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import type { RecallCriteriaValue } from '@implant-trace/contracts';
import { EVENTS, IMPLANTS_TOPIC, MATCHES_TOPIC } from '@implant-trace/contracts';
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
import { startOwnTestBroker, testInfrastructure, waitFor } from '@implant-trace/platform-testing';
// The floor is the service's own SQL and criteria preparation, not a copy of them: the one
// place tooling reaches into a service's libraries.
// eslint-disable-next-line @nx/enforce-module-boundaries -- see above
import { prepareRecallTerms } from '@implant-trace/recall-matching-domain';
// eslint-disable-next-line @nx/enforce-module-boundaries -- see above
import {
  candidateDevicesQuery,
  matchCountsQuery,
  matchingImplantsQuery,
  type SqlQuery,
} from '@implant-trace/recall-matching-feature';

import {
  buildService,
  exitOf,
  freePort,
  median,
  migrateService,
  runService,
  spread,
  type ServiceProcessOptions,
} from '../support/service-process';
import { messagesOnTopic } from '../support/topic-progress';
import {
  catalogueRows,
  devicesOf,
  implantRow,
  implantsOf,
  lineOf,
  lotOf,
  manufacturerOf,
  MANUFACTURERS,
  primaryIdentifierOf,
  serialOf,
  type BenchDevice,
  type BenchImplant,
  type Scale,
} from './dataset';

const root = join(__dirname, '..', '..', '..');
const { values: args } = parseArgs({
  options: {
    implants: { type: 'string', default: '10000000' },
    devices: { type: 'string', default: '200000' },
    hospitals: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    'issue-runs': { type: 'string', default: '3' },
    'rebuild-events': { type: 'string', default: '1000000' },
    'rebuild-timeout-minutes': { type: 'string', default: '60' },
  },
});
const scale: Scale = {
  implants: Number(args.implants),
  devices: Number(args.devices),
  hospitals: Number(args.hospitals),
};
const RUNS = Number(args.runs);
const ISSUE_RUNS = Number(args['issue-runs']);
const REBUILD_EVENTS = Number(args['rebuild-events']);
const REBUILD_TIMEOUT_MS = Number(args['rebuild-timeout-minutes']) * 60_000;
const FULL_SCALE = { implants: 10_000_000, devices: 200_000, hospitals: 300 };
const isFullScale =
  scale.implants === FULL_SCALE.implants &&
  scale.devices === FULL_SCALE.devices &&
  scale.hospitals === FULL_SCALE.hospitals &&
  REBUILD_EVENTS === 1_000_000;
const COPY_BATCH = 5_000;
const PUBLISH_BATCH = 2_000;
const ISSUER = 'implant-trace-bench';
const AUDIENCE = 'implant-trace';
const TARGET_MS = { a: 50, b: 50, c: 1_000, d: 30_000 } as const;

const infra = testInfrastructure();
const stamp = Date.now().toString(36);
const serviceSchema = `bench_recall_${stamp}`;
const rebuildSchema = `bench_recall_rebuild_${stamp}`;
const publisherSchema = `bench_recall_publisher_${stamp}`;
const jwtSecret = randomBytes(32).toString('hex');
const lines: string[] = [];

/** Every line the run prints also goes into the results, in order. */
function log(line: string): void {
  console.log(line);
  lines.push(line);
}

const seconds = (from: number) => (performance.now() - from) / 1000;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function ownerClient(schema: string): Promise<Client> {
  const client = new Client({
    connectionString: infra.databaseUrl,
    options: `-c search_path=${schema}`,
  });
  await client.connect();
  return client;
}

async function copyInto(client: Client, target: string, rows: Iterable<string>): Promise<void> {
  function* chunks(): Generator<string> {
    let chunk: string[] = [];
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length === COPY_BATCH) {
        yield chunk.join('');
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
}

async function loadCatalogue(client: Client, devices: readonly BenchDevice[]): Promise<void> {
  const rows = catalogueRows(devices);
  await copyInto(
    client,
    `catalogue_devices (device_id, revision, record, identifiers, catalog_number_key, manufacturer_key, model_key)`,
    rows.devices,
  );
  await copyInto(client, `catalogue_identifiers (device_identifier, device_id)`, rows.identifiers);
  await copyInto(
    client,
    `catalogue_record_identifiers (device_identifier, device_id)`,
    rows.identifiers,
  );
  await client.query(
    `ANALYZE catalogue_devices, catalogue_identifiers, catalogue_record_identifiers`,
  );
}

/**
 * The implants, with the migrations' secondary indexes dropped during the COPY and created
 * again from their own definitions, as a bulk load into a live table is done: the schema
 * measured is the migrations' to the index.
 */
async function loadImplants(client: Client, schema: string, devices: readonly BenchDevice[]) {
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
     WHERE schemaname = $1 AND tablename = 'implants' AND indexname <> 'implants_pkey'`,
    [schema],
  );
  for (const { indexname } of indexes) await client.query(`DROP INDEX "${indexname}"`);
  const copyStarted = performance.now();
  const rows = (function* () {
    for (const implant of implantsOf(scale, devices, scale.implants, 1)) {
      yield implantRow(implant, devices);
    }
  })();
  await copyInto(
    client,
    `implants (implant_id, recorded, hospital_ods, patient, patient_key, udi, device_identifier,
       device_id, lot_number, serial_number, serial_value, manufacture_date, expiration_date,
       status, status_changed_at)`,
    rows,
  );
  const copySeconds = seconds(copyStarted);
  const indexStarted = performance.now();
  await client.query(`SET maintenance_work_mem = '1GB'`);
  for (const { indexdef } of indexes) await client.query(indexdef);
  const indexSeconds = seconds(indexStarted);
  const vacuumStarted = performance.now();
  await client.query(`VACUUM (ANALYZE) implants`);
  return {
    copySeconds: round(copySeconds),
    indexSeconds: round(indexSeconds),
    vacuumAnalyzeSeconds: round(seconds(vacuumStarted)),
    recreatedIndexes: indexes.map((index) => index.indexname),
  };
}

async function sizesOf(client: Client, schema: string) {
  const { rows } = await client.query<{ relname: string; rows: string; bytes: string }>(
    `SELECT c.relname, c.reltuples::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') ORDER BY pg_total_relation_size(c.oid) DESC`,
    [schema],
  );
  return rows.map((row) => ({
    relation: row.relname,
    rows: Number(row.rows),
    mib: round(Number(row.bytes) / 2 ** 20, 0),
  }));
}

async function waitForService(service: ChildProcess, baseUrl: string): Promise<void> {
  await waitFor(
    async () => {
      if (service.exitCode !== null) throw new Error(`service exited with ${service.exitCode}`);
      const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
      if (health?.status !== 200) return false;
      return ((await health.json()) as { status?: string }).status !== 'degraded';
    },
    { timeoutMs: 300_000, intervalMs: 250, description: 'the service to be up and caught up' },
  );
}

interface Counts {
  implants: number;
  patients: number;
}
interface DryRunAnswer {
  matched: Counts;
  possible: Counts;
  byHospital: unknown[];
}

/** The service's SQL run bare, as its use cases run it: the devices, then their implants. */
async function bareDryRun(client: Client, criteria: RecallCriteriaValue) {
  const { criteria: prepared } = prepareRecallTerms({ criteria });
  const devices = candidateDevicesQuery(prepared);
  const { rows } = await client.query<{ device_id: string }>(devices.sql, devices.parameters);
  const counts = matchCountsQuery(
    prepared,
    rows.map((row) => row.device_id),
  );
  const result = await client.query<{
    hospital_ods: string | null;
    matched_implants: number;
    possible_implants: number;
  }>(counts.sql, counts.parameters);
  const total = result.rows.find((row) => row.hospital_ods === null);
  return {
    matched: total?.matched_implants ?? 0,
    possible: total?.possible_implants ?? 0,
    counts,
  };
}

async function explainAnalyze(client: Client, query: SqlQuery): Promise<string> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.sql}`,
    query.parameters,
  );
  // The candidate devices' ids are inlined as one literal of thousands: counted, not shown.
  return rows
    .map((row) =>
      row['QUERY PLAN'].replace(
        /'\{[^}]{200,}\}'/g,
        (literal) => `'{${literal.split(',').length} values}'`,
      ),
    )
    .join('\n');
}

/** Checkpoints the server has started, timed or requested (a run's WAL can set one off). */
async function checkpointsStarted(client: Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function main(): Promise<void> {
  // A broker of its own: the bench's recalls and matches never reach the development broker.
  const broker = await startOwnTestBroker();
  try {
    await measure(broker.brokers);
  } finally {
    await broker.stop();
  }
}

async function measure(brokers: string[]): Promise<void> {
  const started = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const machine = `nproc ${cpus().length}, ${cpus()[0]?.model ?? 'unknown CPU'}`;
  const owner = await ownerClient('public');
  const setting = async (name: string) =>
    (await owner.query<{ setting: string }>(`SELECT current_setting($1) AS setting`, [name]))
      .rows[0]?.setting;
  // The write-ahead log's limits set how often a recall's writes start a checkpoint.
  const postgres =
    `${await setting('server_version')} (shared_buffers ${await setting('shared_buffers')}, ` +
    `max_wal_size ${await setting('max_wal_size')}, checkpoint_timeout ${await setting('checkpoint_timeout')})`;
  const preloaded = (
    await owner.query<{ shared_preload_libraries: string }>(`SHOW shared_preload_libraries`)
  ).rows[0]?.shared_preload_libraries;
  const pgStatStatements = (preloaded ?? '').includes('pg_stat_statements');
  await owner.end();
  log(
    `recall bench ${started}: ${scale.implants} implants, ${scale.devices} devices, ` +
      `${scale.hospitals} hospitals${isFullScale ? " (the issue's full scale)" : " (REDUCED SCALE, not the issue's)"}; ` +
      `${machine}; Node ${process.version}; PostgreSQL ${postgres}; load average ${loadAtStart.toFixed(2)}`,
  );

  buildService('recall-matching');
  const port = await freePort();
  const auth = { secret: jwtSecret, issuer: ISSUER, audience: AUDIENCE };
  const serviceOptions: ServiceProcessOptions = {
    app: 'recall-matching',
    port,
    schema: serviceSchema,
    brokers,
    auth,
    env: { HTTP_RATE_LIMIT_PER_ADDRESS: String(100_000_000) },
  };
  await migrateService(serviceOptions);
  const client = await ownerClient(serviceSchema);

  const devices = devicesOf(scale);
  const catalogueStarted = performance.now();
  await loadCatalogue(client, devices);
  const catalogueSeconds = round(seconds(catalogueStarted));
  log(`catalogue replica: ${scale.devices} devices COPY-loaded in ${catalogueSeconds} s`);
  const implantLoad = await loadImplants(client, serviceSchema, devices);
  log(
    `implants: ${scale.implants} COPY-loaded in ${implantLoad.copySeconds} s, ` +
      `${implantLoad.recreatedIndexes.join(', ')} built in ${implantLoad.indexSeconds} s, ` +
      `VACUUM ANALYZE ${implantLoad.vacuumAnalyzeSeconds} s`,
  );
  const sizes = await sizesOf(client, serviceSchema);
  log(
    `sizes: ${sizes
      .filter((size) => size.mib >= 1)
      .map((size) => `${size.relation} ${size.mib} MiB`)
      .join(', ')}`,
  );

  const service = runService(serviceOptions);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForService(service, baseUrl);
  const token = await mintDevelopmentToken({ role: 'regulator', ...auth });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };

  const deviceA = Math.floor(scale.devices / 3);
  const deviceB = Math.floor((2 * scale.devices) / 3) + 1;
  const productLine = 7 % MANUFACTURERS;
  const cases = [
    {
      key: 'a' as const,
      label: '(a) one device and 3 lots',
      criteria: {
        deviceIdentifiers: [primaryIdentifierOf(deviceA)],
        lotNumbers: [lotOf(deviceA, 0), lotOf(deviceA, 1), lotOf(deviceA, 2)],
      },
    },
    {
      key: 'b' as const,
      label: '(b) one device, serial range over half the serials',
      criteria: {
        deviceIdentifiers: [primaryIdentifierOf(deviceB)],
        serialRanges: [{ from: serialOf(0), to: serialOf(Math.floor(scale.implants / 2)) }],
      },
    },
    {
      key: 'c' as const,
      label: '(c) a product line (manufacturer and model)',
      criteria: {
        manufacturer: manufacturerOf(productLine),
        models: [lineOf(productLine)],
      },
    },
  ];

  // Other work on the machine inflates the times: the load average says how much there was.
  const loadBefore = loadavg()[0] ?? 0;
  log(
    `load average before the measurements: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dryRuns = [];
  for (const { key, label, criteria } of cases) {
    const service: number[] = [];
    const floor: number[] = [];
    let answer: DryRunAnswer | undefined;
    let bare: Awaited<ReturnType<typeof bareDryRun>> | undefined;
    const first = { serviceMs: 0, floorMs: 0 };
    // Run 0 is the first (cold) one, reported apart; the median is of the runs after it.
    for (let run = 0; run <= RUNS; run += 1) {
      const httpStarted = performance.now();
      answer = (await post('/v1/recall-queries', { criteria })) as DryRunAnswer;
      const serviceMs = round(performance.now() - httpStarted);
      const floorStarted = performance.now();
      bare = await bareDryRun(client, criteria);
      const floorMs = round(performance.now() - floorStarted);
      if (run === 0) Object.assign(first, { serviceMs, floorMs });
      else {
        service.push(serviceMs);
        floor.push(floorMs);
      }
      log(
        `${label} run ${run === 0 ? 'first' : run}: service ${serviceMs} ms, bare SQL ${floorMs} ms`,
      );
    }
    if (answer === undefined || bare === undefined) throw new Error('no runs');
    if (answer.matched.implants !== bare.matched || answer.possible.implants !== bare.possible) {
      throw new Error(`${label}: the service and the bare SQL disagree`);
    }
    const plan = await explainAnalyze(client, bare.counts);
    const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    const serviceMedian = median(service);
    const met = serviceMedian < TARGET_MS[key];
    dryRuns.push({
      key,
      label,
      criteria,
      matchedImplants: answer.matched.implants,
      matchedPatients: answer.matched.patients,
      possibleImplants: answer.possible.implants,
      hospitals: answer.byHospital.length,
      serviceMs: { median: serviceMedian, spread: spread(service), runs: service },
      floorMs: { median: median(floor), spread: spread(floor), runs: floor },
      first,
      explainExecutionMs: executionMs,
      plan,
      targetMs: TARGET_MS[key],
      verdict: met ? 'met' : 'not met',
    });
    log(
      `${label}: ${answer.matched.implants} matched implants (${answer.matched.patients} patients) ` +
        `and ${answer.possible.implants} possible at ${answer.byHospital.length} hospitals; service median ` +
        `${serviceMedian} ms (${spread(service)}), bare SQL median ${median(floor)} ms (${spread(floor)}), ` +
        `EXPLAIN ANALYZE execution ${executionMs} ms; target < ${TARGET_MS[key]} ms: ${met ? 'met' : 'not met'}`,
    );
  }

  const kafka = new KafkaConnection({ brokers, clientId: 'bench-recall' });
  const admin = kafka.admin();
  await admin.connect();
  const onTopic = () => messagesOnTopic(admin, MATCHES_TOPIC.name);
  const productLineCriteria = cases[2]?.criteria ?? {};
  const issues = [];
  for (let run = 1; run <= ISSUE_RUNS; run += 1) {
    const before = await onTopic();
    const checkpointsBefore = await checkpointsStarted(client);
    const issueStarted = performance.now();
    const issued = (await post(
      '/v1/recalls',
      {
        title: `Bench product-line recall ${run}`,
        reason: 'Early wear of the liner across the product line',
        class: 'II',
        criteria: productLineCriteria,
      },
      { 'idempotency-key': randomUUID() },
    )) as { changes: { found: number } };
    const responseMs = round(performance.now() - issueStarted);
    const found = issued.changes.found;
    await waitFor(async () => (await onTopic()) - before >= found, {
      timeoutMs: 900_000,
      intervalMs: 20,
      description: `${found} match events on ${MATCHES_TOPIC.name}`,
    });
    const allOnTopicMs = round(performance.now() - issueStarted);
    const checkpoints = (await checkpointsStarted(client)) - checkpointsBefore;
    const { criteria: prepared } = prepareRecallTerms({ criteria: productLineCriteria });
    const floorStarted = performance.now();
    const devicesQuery = candidateDevicesQuery(prepared);
    const { rows } = await client.query<{ device_id: string }>(
      devicesQuery.sql,
      devicesQuery.parameters,
    );
    const matching = matchingImplantsQuery(prepared, {
      kind: 'candidates',
      deviceIds: rows.map((row) => row.device_id),
    });
    const matched = await client.query(matching.sql, matching.parameters);
    const floorMs = round(performance.now() - floorStarted);
    issues.push({
      run,
      found,
      responseMs,
      allOnTopicMs,
      eventsPerSecond: Math.round(found / (allOnTopicMs / 1000)),
      floorMs,
      floorRows: matched.rowCount ?? 0,
      checkpoints,
    });
    log(
      `(d) issue run ${run}: ${found} matches, response ${responseMs} ms, all ${found} match events on ` +
        `${MATCHES_TOPIC.name} after ${allOnTopicMs} ms (${Math.round(found / (allOnTopicMs / 1000))} events/s); ` +
        `bare matching SQL ${floorMs} ms for ${matched.rowCount} rows; ${checkpoints} PostgreSQL checkpoints started meanwhile`,
    );
  }
  const issueMedian = median(issues.map((issue) => issue.allOnTopicMs));
  const issueVerdict = issueMedian < TARGET_MS.d ? 'met' : 'not met';
  log(
    `(d) issuing the product-line recall until every match event is on the topic: median ` +
      `${issueMedian} ms (${spread(issues.map((issue) => issue.allOnTopicMs))}), ` +
      `${median(issues.map((issue) => issue.eventsPerSecond))} events/s; target < ${TARGET_MS.d} ms: ${issueVerdict}`,
  );
  const loadAfter = loadavg()[0] ?? 0;
  log(
    `load average after the measurements: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  service.kill('SIGTERM');
  await exitOf(service);
  await client.query(`DROP SCHEMA IF EXISTS "${serviceSchema}" CASCADE`);

  const result: Result = {
    date: started,
    fullScale: isFullScale,
    machine,
    node: process.version,
    postgres,
    pgStatStatements,
    scale,
    runs: RUNS,
    issueRuns: ISSUE_RUNS,
    load: { catalogueSeconds, ...implantLoad },
    sizes,
    loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
    dryRuns,
    issues: { medianAllOnTopicMs: issueMedian, verdict: issueVerdict, runs: issues },
    rebuild: undefined,
    lines,
  };
  // Written now and again after the rebuild, so a rebuild that fails loses nothing measured.
  await writeResults(result);
  try {
    result.rebuild = await measureRebuild(kafka, admin, brokers, devices);
  } finally {
    await admin.disconnect();
    await client.query(`DROP SCHEMA IF EXISTS "${rebuildSchema}" CASCADE`);
    await client.end();
  }
  await writeResults(result);
}

/**
 * implant.recorded events published as implant-events publishes them: EventPublisher into an
 * outbox (its tables from the messaging migrations, in a schema of the benchmark's), sent by
 * an OutboxRelay, until every one is on the implants topic.
 */
async function publishImplantEvents(
  kafka: KafkaConnection,
  admin: ReturnType<KafkaConnection['admin']>,
  devices: readonly BenchDevice[],
): Promise<number> {
  await provisionTopics(kafka, [IMPLANTS_TOPIC]);
  const dataSource = createSchemaDataSource({
    url: infra.databaseUrl,
    schema: publisherSchema,
    migrations: MESSAGING_MIGRATIONS,
    poolSize: 2,
  });
  await dataSource.initialize();
  await prepareSchema(dataSource);
  const outbox = new OutboxRepository(dataSource);
  const publisher = new EventPublisher('implant-events', outbox);
  const relay = new OutboxRelay(outbox, kafka, {
    relayId: 'bench-recall-relay',
    batchSize: PUBLISH_BATCH,
  });
  const onTopic = () => messagesOnTopic(admin, IMPLANTS_TOPIC.name);
  const before = await onTopic();
  const started = performance.now();
  await relay.start();
  try {
    let batch: BenchImplant[] = [];
    const flush = async () => {
      const events = batch.map((implant) => ({ data: implant.event }));
      await dataSource.transaction((tx) =>
        publisher.publishMany(tx, EVENTS.implantRecordedV1, events),
      );
      batch = [];
    };
    for (const implant of implantsOf(scale, devices, REBUILD_EVENTS, 2)) {
      batch.push(implant);
      if (batch.length === PUBLISH_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await waitFor(async () => (await onTopic()) - before >= REBUILD_EVENTS, {
      timeoutMs: 3600_000,
      intervalMs: 500,
      description: `${REBUILD_EVENTS} implant events on ${IMPLANTS_TOPIC.name}`,
    });
    return seconds(started);
  } finally {
    await relay.stop();
    await dataSource.query(`DROP SCHEMA IF EXISTS "${publisherSchema}" CASCADE`);
    await dataSource.destroy();
  }
}

/** A fresh service (own schema, catalogue replica COPY-loaded) builds its projection. */
async function measureRebuild(
  kafka: KafkaConnection,
  admin: ReturnType<KafkaConnection['admin']>,
  brokers: string[],
  devices: readonly BenchDevice[],
) {
  // The first service's group offsets go: the fresh one reads the implants topic from the start.
  await admin.deleteGroups(['recall-matching']).catch(() => undefined);
  const port = await freePort();
  const options: ServiceProcessOptions = {
    app: 'recall-matching',
    port,
    schema: rebuildSchema,
    brokers,
    auth: { secret: jwtSecret, issuer: ISSUER, audience: AUDIENCE },
  };
  await migrateService(options);
  const client = await ownerClient(rebuildSchema);
  await loadCatalogue(client, devices);
  const publishSeconds = await publishImplantEvents(kafka, admin, devices);
  log(
    `rebuild: ${REBUILD_EVENTS} implant.recorded events published to ${IMPLANTS_TOPIC.name} in ` +
      `${round(publishSeconds)} s (${Math.round(REBUILD_EVENTS / publishSeconds)} events/s)`,
  );
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const service = runService(options);
  let firstAppliedSeconds: number | undefined;
  const projected = async () =>
    Number(
      (await client.query<{ count: string }>(`SELECT count(*) FROM implants`)).rows[0]?.count ?? 0,
    );
  // Polled rather than awaited with a deadline that throws: a rebuild slower than the timeout
  // still reports how far it got.
  let count = 0;
  let lastLogged = performance.now();
  while (count < REBUILD_EVENTS && performance.now() - started < REBUILD_TIMEOUT_MS) {
    if (service.exitCode !== null) throw new Error(`service exited with ${service.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    count = await projected();
    if (count > 0 && firstAppliedSeconds === undefined) firstAppliedSeconds = seconds(started);
    if (performance.now() - lastLogged > 60_000) {
      lastLogged = performance.now();
      log(`rebuild: ${count} implants projected after ${round(seconds(started), 0)} s`);
    }
  }
  const totalSeconds = seconds(started);
  const loadAfter = loadavg()[0] ?? 0;
  service.kill('SIGTERM');
  await exitOf(service);
  await client.end();
  const consumingSeconds = totalSeconds - (firstAppliedSeconds ?? 0);
  const rebuild = {
    events: REBUILD_EVENTS,
    projected: count,
    finished: count >= REBUILD_EVENTS,
    publishSeconds: round(publishSeconds),
    publishEventsPerSecond: Math.round(REBUILD_EVENTS / publishSeconds),
    secondsFromStart: round(totalSeconds),
    secondsToFirstApplied: round(firstAppliedSeconds ?? 0),
    eventsPerSecond: Math.round(count / consumingSeconds),
    loadAverage: { before: loadBefore, after: loadAfter },
  };
  log(
    `rebuild: ${count} of ${REBUILD_EVENTS} implant.recorded events consumed into a fresh service's projection ` +
      `in ${rebuild.secondsFromStart} s from its start${rebuild.finished ? '' : ' (STOPPED at the timeout, unfinished)'} ` +
      `(first applied after ${rebuild.secondsToFirstApplied} s): ` +
      `${rebuild.eventsPerSecond} events/s; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
  );
  return rebuild;
}

type Result = {
  date: string;
  fullScale: boolean;
  machine: string;
  node: string;
  postgres: string | undefined;
  pgStatStatements: boolean;
  scale: Scale;
  runs: number;
  issueRuns: number;
  load: {
    catalogueSeconds: number;
    copySeconds: number;
    indexSeconds: number;
    vacuumAnalyzeSeconds: number;
  };
  sizes: { relation: string; rows: number; mib: number }[];
  loadAverage: { atStart: number; before: number; after: number };
  dryRuns: {
    label: string;
    criteria: unknown;
    matchedImplants: number;
    matchedPatients: number;
    possibleImplants: number;
    hospitals: number;
    serviceMs: { median: number; spread: string };
    floorMs: { median: number; spread: string };
    first: { serviceMs: number; floorMs: number };
    explainExecutionMs: number;
    plan: string;
    targetMs: number;
    verdict: string;
  }[];
  issues: {
    medianAllOnTopicMs: number;
    verdict: string;
    runs: {
      run: number;
      found: number;
      responseMs: number;
      allOnTopicMs: number;
      eventsPerSecond: number;
      floorMs: number;
      floorRows: number;
      checkpoints: number;
    }[];
  };
  rebuild: Awaited<ReturnType<typeof measureRebuild>> | undefined;
  lines: string[];
};

function rebuildSection(rebuild: Result['rebuild']): string {
  if (rebuild === undefined)
    return `Not measured yet: this file is rewritten when the rebuild ends.\n\n`;
  return (
    `${rebuild.events} implant.recorded events, published as implant-events publishes them (EventPublisher into ` +
    `an outbox, sent by OutboxRelay, batches of ${PUBLISH_BATCH}), all on the topic ${rebuild.publishSeconds} s ` +
    `after the first was written ` +
    `(${rebuild.publishEventsPerSecond} events/s) before a fresh service (own schema, catalogue replica ` +
    `COPY-loaded, no recalls) starts. ` +
    (rebuild.finished
      ? `All were in its projection ${rebuild.secondsFromStart} s after it started`
      : `**Unfinished**: ${rebuild.projected} were in its projection when the benchmark stopped waiting, ${rebuild.secondsFromStart} s after it started`) +
    ` (the first after ${rebuild.secondsToFirstApplied} s): **${rebuild.eventsPerSecond} events/s** from the first applied. ` +
    `Load average ${rebuild.loadAverage.before.toFixed(2)} before, ${rebuild.loadAverage.after.toFixed(2)} after.\n\n`
  );
}

async function writeResults(result: Result): Promise<void> {
  const docs = join(root, 'docs', 'benchmarks');
  await writeFile(join(docs, 'recall.json'), `${JSON.stringify(result, null, 2)}\n`);
  const { scale: s } = result;
  const dryRunRows = result.dryRuns
    .map(
      (run) =>
        `| ${run.label} | ${run.matchedImplants} (${run.matchedPatients} patients), ${run.possibleImplants} possible, ${run.hospitals} hospitals | ` +
        `${run.serviceMs.median} (${run.serviceMs.spread}) | ${run.floorMs.median} (${run.floorMs.spread}) | ` +
        `${run.first.serviceMs} / ${run.first.floorMs} | ${run.explainExecutionMs} | < ${run.targetMs} ms: ${run.verdict} |`,
    )
    .join('\n');
  const issueRows = result.issues.runs
    .map(
      (run) =>
        `| ${run.run} | ${run.found} | ${run.responseMs} | ${run.allOnTopicMs} | ${run.eventsPerSecond} | ${run.floorMs} (${run.floorRows} rows) | ${run.checkpoints} |`,
    )
    .join('\n');
  const plans = result.dryRuns
    .map((run) => `### ${run.label}\n\n\`\`\`\n${run.plan}\n\`\`\``)
    .join('\n\n');
  const scaleNote = result.fullScale
    ? "the issue's full scale"
    : `**a reduced scale, not the issue's 10,000,000 implants / 200,000 devices / 300 hospitals / 1,000,000 rebuild events**`;
  const markdown =
    `# Recall benchmark\n\n` +
    `\`npm run bench:recall -- --implants ${s.implants} --devices ${s.devices} --hospitals ${s.hospitals} ` +
    `--runs ${result.runs} --issue-runs ${result.issueRuns} --rebuild-events ${REBUILD_EVENTS}\` ` +
    `(tools/bench/recall/bench.ts), ${result.date}, ${scaleNote}. ${result.machine}, Node ${result.node}, ` +
    `PostgreSQL ${result.postgres}; the service, PostgreSQL, Kafka and the benchmark on the same machine. ` +
    `1-minute load average ${result.loadAverage.atStart.toFixed(2)} at the start, ${result.loadAverage.before.toFixed(2)} ` +
    `before the measurements and ${result.loadAverage.after.toFixed(2)} after them.\n\n` +
    `The real recall-matching service: its \`nx build\` output, its migration step creating the tables and ` +
    `indexes, then main.js as the least-privilege role, on a Kafka broker of its own. ${s.implants} implants ` +
    `of ${s.devices} devices at ${s.hospitals} hospitals COPY-loaded into its projection (secondary indexes ` +
    `dropped during the COPY and built again from the migrations' own definitions, then VACUUM ANALYZE), its ` +
    `catalogue replica likewise. Each device has two identifiers (90 % of implants scanned by the primary), ` +
    `10 lots and about ${Math.round(s.implants / s.devices)} implants; 1 implant in 10,000 carries an identifier no device ` +
    `record names (a possible match wherever the criteria cannot rule it out), 1 in 20 is explanted; ` +
    `${MANUFACTURERS} manufacturers with two product lines each.\n\n` +
    `## Sizes and load\n\n` +
    `| relation | rows | MiB |\n|---|---|---|\n` +
    result.sizes
      .filter((size) => size.mib >= 1)
      .map((size) => `| ${size.relation} | ${size.rows} | ${size.mib} |`)
      .join('\n') +
    `\n\nCatalogue COPY ${result.load.catalogueSeconds} s; implants COPY ${result.load.copySeconds} s, ` +
    `indexes ${result.load.indexSeconds} s, VACUUM ANALYZE ${result.load.vacuumAnalyzeSeconds} s.\n\n` +
    `## Dry runs: POST /v1/recall-queries beside the bare SQL\n\n` +
    `Service: the HTTP round trip with a regulator token. Bare SQL: the service's own queries ` +
    `(candidateDevicesQuery, then matchCountsQuery, from libs/recall-matching/feature) on the same tables ` +
    `from the benchmark's own connection, the floor. Median of ${result.runs} runs after a first (cold) one, ` +
    `with the spread (min-max); times in ms.\n\n` +
    `| query | answer | service ms | bare SQL ms | first run service / SQL ms | EXPLAIN ANALYZE execution ms | target |\n` +
    `|---|---|---|---|---|---|---|\n${dryRunRows}\n\n` +
    `## (d) Issuing the product-line recall (POST /v1/recalls) until every match event is on ${MATCHES_TOPIC.name}\n\n` +
    `Counted by the topic's offsets (idempotent producer, no transactions: one offset per event), polled every 20 ms. ` +
    `Each run issues the product line of (c) again as a new recall. Floor: the service's matching SQL ` +
    `(candidateDevicesQuery, then matchingImplantsQuery) run bare. Checkpoints: those PostgreSQL started ` +
    `during the run (pg_stat_bgwriter); each page's first change after one is written whole to the WAL.\n\n` +
    `| run | matches | response ms | all events on the topic ms | events/s | bare matching SQL ms | checkpoints |\n` +
    `|---|---|---|---|---|---|---|\n${issueRows}\n\n` +
    `Median ${result.issues.medianAllOnTopicMs} ms until every match event is on the topic; target < ${TARGET_MS.d} ms: ` +
    `${result.issues.verdict}.\n\n` +
    `## The projection rebuilt from ${IMPLANTS_TOPIC.name}\n\n` +
    rebuildSection(result.rebuild) +
    `## Plans (EXPLAIN ANALYZE, BUFFERS of each dry run's counting query, after the runs)\n\n` +
    `pg_stat_statements: ${result.pgStatStatements ? 'loaded' : 'not available (not in shared_preload_libraries of the shared server)'}.\n\n` +
    `${plans}\n\n` +
    `## Everything the run printed\n\n\`\`\`\n${result.lines.join('\n')}\n\`\`\`\n\n` +
    `Raw numbers: recall.json beside this file.\n`;
  await writeFile(join(docs, 'recall.md'), markdown);
  execFileSync(join(root, 'node_modules', '.bin', 'prettier'), [
    '--log-level',
    'warn',
    '--write',
    join(docs, 'recall.md'),
    join(docs, 'recall.json'),
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
