// `npm run test:faults`: the platform as `npm start` runs it, on a Kafka broker of its own, under
// a steady load of implant recordings of which half are of a recalled lot (so each must become
// a match and a signed webhook at its hospital, which follows the match up), with the hospitals
// acknowledging the recall stage by stage, while faults are injected one after another:
// the broker SIGKILLed, each service SIGKILLed (its supervisor restarts it), PostgreSQL shut down
// immediately, Redis flushed, and a second instance of each consuming service killed mid-stream.
// Then it checks that nothing a 2xx acknowledged was lost, that nothing was duplicated in
// effect, and that the final state is the one a run without faults reaches; prints a table and
// exits non-zero on any loss, duplicate or difference. It also reads the loaded topics back and
// checks that each key's events are on them in the order their service committed them.
//   --except=postgres,redis   leave out the faults whose names contain these words
//   --cluster                 on a three-node cluster (tools/kafka/cluster.sh) with topics at
//                             replication factor 3 and min.insync.replicas 2, the faults only a
//                             cluster shows (cluster-faults.ts) instead of the single node's
//   --postgres                with --cluster, the PostgreSQL fault too (it stops the machine's
//                             PostgreSQL, so a cluster run leaves it out unless asked)
import 'reflect-metadata';

import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { mintDevelopmentToken, type Role } from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { KafkaConnection } from '@implant-trace/platform-messaging';
import {
  freshGtin,
  freshOds,
  HospitalEndpoint,
  type OwnTestBroker,
  type OwnTestCluster,
  startOwnTestBroker,
  startOwnTestCluster,
  testInfrastructure,
  waitFor,
} from '@implant-trace/platform-testing';

import { ensureCommitTimestamps } from '../support/commit-timestamps';
import { clusterFaults, OUTBOX_OWNERS } from './cluster-faults';
import { type Fault, listening, pause } from './fault';
import {
  differencesFromFaultFree,
  faultOutcome,
  type FaultWindow,
  furthestAcknowledgedStages,
  type FinalState,
  type KeyOrderOutcome,
} from './fault-outcome';
import { HospitalResponses } from './hospital-responses';
import { CONSUMING_SERVICES, PlatformUnderTest, SERVICES } from './platform-under-test';
import { RecordingLoad } from './recording-load';
import { describeResentPartitions } from './resent-partitions';
import { installSentLog } from './sent-log';
import { keyOrderOnLoadedTopics } from './topic-order';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const RECALLED_LOT = 'LOT-RECALLED';
const RATE_PER_SECOND = 8;
/** Nine stages in all (three hospitals, three stages), spread over the faults. */
const ACKNOWLEDGE_EVERY_MS = 20_000;
/** How long the load goes on after a fault has been recovered from, before the next. */
const SETTLE_MS = 8_000;
const ISSUER = 'implant-trace-faults';
const AUDIENCE = 'implant-trace';

const { values: flags } = parseArgs({
  options: {
    except: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
  },
});
const leftOut = flags.except?.split(',').map((word) => word.trim().toLowerCase()) ?? [];
/** What a deployment on a cluster sets: three replicas, a write acknowledged once two have it. */
const CLUSTER_REPLICATION = { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' };

const say = (line: string) => process.stdout.write(`faults: ${line}\n`);

/**
 * The Redis of this run, flushed as a fault: the database REDIS_URL names, or number 9 of the
 * machine's server when it names none.
 */
function redisUrlOfRun(): string {
  const url = new URL(testInfrastructure().redisUrl);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/9';
  return url.toString();
}

async function postgresCluster(): Promise<{ version: string; name: string }> {
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  const [version = '', name = ''] = stdout.trim().split('\n')[0]?.split(/\s+/) ?? [];
  return { version, name };
}

async function redisKeys(url: URL): Promise<number> {
  const { stdout } = await run('redis-cli', redisArgs(url, 'dbsize'));
  return Number(stdout.trim());
}

const redisArgs = (url: URL, command: string) => [
  '-h',
  url.hostname,
  '-p',
  url.port || '6379',
  '-n',
  url.pathname.slice(1),
  command,
];

function postgresFault(platform: PlatformUnderTest): Fault {
  return {
    name: 'PostgreSQL immediate shutdown, then start',
    inject: async () => {
      const cluster = await postgresCluster();
      const pgCtl = ['--skip-systemctl-redirect', cluster.version, cluster.name];
      await run('pg_ctlcluster', [...pgCtl, 'stop', '-m', 'immediate']);
      const { stdout } = await run('pg_lsclusters', ['--no-header', cluster.version, cluster.name]);
      await pause(3_000);
      await run('pg_ctlcluster', [...pgCtl, 'start']);
      return `the cluster was ${stdout.includes(' down ') ? 'down' : 'still online'}`;
    },
    recover: () => platform.untilAllHealthy(),
  };
}

function faultsFor(platform: PlatformUnderTest, broker: OwnTestBroker, redisUrl: string): Fault[] {
  return [
    {
      name: 'kill -9 the Kafka broker, then start it',
      inject: async () => {
        await broker.kill();
        const refused = !(await listening(broker.brokers[0] ?? ''));
        await pause(3_000);
        await broker.restart();
        return refused ? 'the broker refused connections' : 'the broker still answered';
      },
      recover: () => platform.untilAllHealthy(),
    },
    ...SERVICES.map((name) => ({
      name: `kill -9 ${name} (its supervisor restarts it)`,
      inject: () => platform.kill(name),
      recover: () => platform.untilHealthy(name),
    })),
    postgresFault(platform),
    {
      name: 'flush Redis',
      inject: async () => {
        const url = new URL(redisUrl);
        const before = await redisKeys(url);
        await run('redis-cli', redisArgs(url, 'flushdb'));
        return `keys ${before} -> ${await redisKeys(url)}`;
      },
      recover: () => Promise.resolve(),
    },
    {
      name: 'a second instance of each consuming service, SIGKILLed mid-stream (rebalance)',
      inject: async () => {
        await Promise.all(CONSUMING_SERVICES.map((name) => platform.startInstance(name, 1)));
        await pause(5_000);
        const died = await Promise.all(CONSUMING_SERVICES.map((name) => platform.kill(name, 1)));
        await Promise.all(CONSUMING_SERVICES.map((name) => platform.stopInstance(name, 1)));
        return died.join('; ');
      },
      recover: () => platform.untilAllHealthy(),
    },
  ];
}

async function main(): Promise<number> {
  const logDirectory = join(root, '.cache', 'logs', 'faults');
  mkdirSync(logDirectory, { recursive: true });
  const jwtSecret = randomBytes(32).toString('hex');
  const token = (role: Role, ods?: string) =>
    mintDevelopmentToken({
      role,
      ...(ods === undefined ? {} : { ods, sub: `faults-${role}-${ods}` }),
      secret: jwtSecret,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  const redisUrl = redisUrlOfRun();
  let broker: OwnTestBroker | undefined;
  let cluster: OwnTestCluster | undefined;
  // Which events of one key had to reach Kafka in order is told by when their writers
  // committed; whether they reached it while nodes were down, by when their sends did.
  const probe = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema: 'public' });
  await probe.initialize();
  await ensureCommitTimestamps(probe, say).finally(() => probe.destroy());
  if (flags.cluster) {
    say('starting a three-node Kafka cluster of its own');
    cluster = await startOwnTestCluster();
  } else {
    say('starting a Kafka broker of its own');
    broker = await startOwnTestBroker();
  }
  const brokers = cluster?.brokers ?? broker?.brokers ?? [];
  const kafka = new KafkaConnection({ brokers, clientId: 'fault-suite' });
  const platform = new PlatformUnderTest({
    brokers,
    ...(cluster === undefined ? {} : { extraEnv: CLUSTER_REPLICATION }),
    redisUrl,
    jwtSecret,
    issuer: ISSUER,
    audience: AUDIENCE,
    logDirectory,
    say,
  });
  const hospitals = [freshOds(), freshOds(), freshOds()];
  const endpoints = new Map(hospitals.map((ods) => [ods, new HospitalEndpoint()]));
  try {
    say(`starting the four services (logs: ${logDirectory})`);
    await platform.start();
    for (const owner of OUTBOX_OWNERS) await installSentLog(platform.schemas[owner]);
    for (const endpoint of endpoints.values()) await endpoint.start();

    const call = async (url: string, bearer: string, body: unknown) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as Record<string, unknown>;
      if (response.status >= 300) {
        throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
      }
      return answer;
    };
    const gtin = freshGtin();
    await call(`${platform.urlOf('device-registry')}/v1/devices`, await token('regulator'), {
      identifiers: [{ deviceIdentifier: gtin, issuingAgency: 'GS1', type: 'primary' }],
      manufacturer: 'Fault Suite Orthopaedics',
      brand: 'Fault Cup',
      implantable: true,
      labelCarries: {
        lotNumber: true,
        serialNumber: true,
        expirationDate: true,
        manufactureDate: false,
      },
    });
    for (const ods of hospitals) {
      const subscription = await call(
        `${platform.urlOf('notifications')}/v1/subscriptions`,
        await token('hospital-system', ods),
        { url: endpoints.get(ods)?.url, eventTypes: ['recall.match.found'] },
      );
      const endpoint = endpoints.get(ods);
      if (endpoint !== undefined) endpoint.secret = String(subscription['secret']);
    }
    const recall = await call(
      `${platform.urlOf('recall-matching')}/v1/recalls`,
      await token('regulator'),
      {
        title: 'Fault suite recall',
        reason: 'Liner wear in one lot',
        class: 'II',
        criteria: { deviceIdentifiers: [gtin], lotNumbers: [RECALLED_LOT] },
      },
    );
    const recallId = String(recall['recallId']);
    const scanOf = async (lot: string) =>
      (
        await call(
          `${platform.urlOf('implant-events')}/v1/scans/check`,
          await token('theatre', hospitals[0]),
          {
            barcode: `(01)${gtin}(17)301231(10)${lot}(21)PROBE`,
          },
        )
      )['verdict'];
    await waitFor(async () => (await scanOf(RECALLED_LOT)) === 'RECALLED', {
      timeoutMs: 120_000,
      description: 'implant-events to know the device and the recall',
    });

    const load = new RecordingLoad({
      implantEventsUrl: platform.urlOf('implant-events'),
      hospitals,
      theatreToken: (ods) => token('theatre', ods),
      gtin,
      recalledLot: RECALLED_LOT,
      ratePerSecond: RATE_PER_SECOND,
    });
    const responses = new HospitalResponses({
      recallMatchingUrl: platform.urlOf('recall-matching'),
      notificationsUrl: platform.urlOf('notifications'),
      recallId,
      endpoints,
      hospitalToken: (ods) => token('hospital-system', ods),
      acknowledgeEveryMs: ACKNOWLEDGE_EVERY_MS,
    });
    say(
      `recording ${RATE_PER_SECOND} implants a second at ${hospitals.join(', ')}; ` +
        'each match told is followed up, and the recall acknowledged stage by stage',
    );
    load.start();
    responses.start();
    await pause(SETTLE_MS);
    const windows: FaultWindow[] = [];
    const all =
      cluster === undefined
        ? broker === undefined
          ? []
          : faultsFor(platform, broker, redisUrl)
        : [
            ...clusterFaults(platform, cluster, kafka),
            ...(flags.postgres ? [postgresFault(platform)] : []),
          ];
    const faults = all.filter(
      (fault) => !leftOut.some((word) => fault.name.toLowerCase().includes(word)),
    );
    for (const fault of faults) {
      say(`fault: ${fault.name}`);
      const injectedAt = Date.now();
      const proof = await fault.inject();
      say(`  it happened: ${proof}`);
      await fault.recover();
      await pause(SETTLE_MS);
      windows.push({ fault: fault.name, injectedAt, endedAt: Date.now(), proof });
    }
    say('stopping the load; waiting for every acknowledged recording to reach its hospital');
    await load.stop();
    const recalledAcknowledged = load.recordings.filter(
      (recording) => recording.recalled && recording.implantId !== undefined,
    );
    const heardOf = () =>
      new Set(
        [...endpoints.values()].flatMap((endpoint) =>
          endpoint
            .ofType('recall.match.found')
            .map((notice) => String(notice['data']['implantId'])),
        ),
      );
    await waitFor(
      () => recalledAcknowledged.every((recording) => heardOf().has(recording.implantId ?? '')),
      { timeoutMs: 240_000, intervalMs: 1_000, description: 'every match to be delivered' },
    ).catch((error: unknown) => say(String(error)));
    say('following up every match told, and sending the stages not yet sent');
    await responses.stop();
    const regulator = await token('regulator');
    const reached = furthestAcknowledgedStages(responses.acknowledgements);
    await waitFor(
      async () => {
        const shown = (await progressOf(platform, recallId, regulator)).stages;
        return [...reached].every(([ods, stage]) => shown.get(ods) === stage);
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'the regulator to see every stage' },
    ).catch((error: unknown) => say(String(error)));
    // Late duplicates would arrive now, if there were any.
    await pause(5_000);

    const state = await finalState(platform, recallId, endpoints, regulator);
    const outcomes = windows.map((window) =>
      faultOutcome(window, load.recordings, responses, state),
    );
    printTable(outcomes);
    const orders = await keyOrderOnLoadedTopics(kafka, platform);
    for (const order of orders) say(describeOrder(order));
    say(await describeResentPartitions(platform));
    const disordered = orders.filter((o) => o.missing > 0 || o.outOfOrderKeys.length > 0);
    const unproven = outcomes.filter((outcome) => / still /.test(outcome.proof));
    if (unproven.length > 0) {
      say(`faults that did not happen: ${unproven.map((o) => o.fault).join('; ')}`);
      return 1;
    }
    const differences = differencesFromFaultFree(load.recordings, responses, state);
    const acknowledged = load.recordings.filter((r) => r.implantId !== undefined).length;
    const answered = (requests: readonly { acknowledgedAt?: number }[]) =>
      requests.filter((request) => request.acknowledgedAt !== undefined).length;
    say(
      `${load.recordings.length} recordings sent, ${acknowledged} acknowledged, ` +
        `${recalledAcknowledged.length} of the recalled lot; ` +
        `${responses.followUps.length} follow-ups sent, ${answered(responses.followUps)} acknowledged; ` +
        `${responses.acknowledgements.length} stages sent, ${answered(responses.acknowledgements)} acknowledged`,
    );
    if (differences.length > 0) {
      say(`the final state differs from a run without faults:\n  ${differences.join('\n  ')}`);
      return 1;
    }
    if (disordered.length > 0) {
      say(`events missing from or out of order on ${disordered.map((o) => o.topic).join(', ')}`);
      return 1;
    }
    say('the final state equals that of a run without faults: nothing lost, nothing duplicated');
    return 0;
  } finally {
    await platform.stop();
    for (const endpoint of endpoints.values()) await endpoint.stop();
    await broker?.stop();
    await cluster?.stop();
    for (const schema of Object.values(platform.schemas)) {
      const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
      await cleanup.initialize();
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.destroy();
    }
  }
}

/** The regulator's progress view of the recall: each hospital's stage and the follow-ups. */
async function progressOf(platform: PlatformUnderTest, recallId: string, bearer: string) {
  const response = await fetch(
    `${platform.urlOf('recall-matching')}/v1/recalls/${recallId}/progress`,
    {
      headers: { authorization: `Bearer ${bearer}` },
    },
  );
  if (response.status !== 200) throw new Error(`progress answered ${response.status}`);
  const progress = (await response.json()) as {
    byHospital: { ods: string; acknowledgement?: { stage: string } }[];
    followUp: Record<string, number>;
  };
  return {
    stages: new Map(progress.byHospital.map((row) => [row.ods, row.acknowledgement?.stage])),
    followUps: progress.followUp,
  };
}

async function finalState(
  platform: PlatformUnderTest,
  recallId: string,
  endpoints: ReadonlyMap<string, HospitalEndpoint>,
  regulator: string,
): Promise<FinalState> {
  const reader = createSchemaDataSource({
    url: testInfrastructure().databaseUrl,
    schema: platform.schemas['implant-events'],
  });
  await reader.initialize();
  try {
    const implants = (await reader.query(
      `SELECT implant_id, serial_number FROM "${platform.schemas['implant-events']}".implants`,
    )) as { implant_id: string; serial_number: string }[];
    const matches = (await reader.query(
      `SELECT match_id, implant_id FROM "${platform.schemas['recall-matching']}".matches
       WHERE recall_id = $1`,
      [recallId],
    )) as { match_id: string; implant_id: string }[];
    const followUps = (await reader.query(
      `SELECT f.follow_up_id, f.match_id FROM "${platform.schemas['recall-matching']}".follow_ups f
       JOIN "${platform.schemas['recall-matching']}".matches m USING (match_id)
       WHERE m.recall_id = $1`,
      [recallId],
    )) as { follow_up_id: string; match_id: string }[];
    const stages = (await reader.query(
      `SELECT hospital_ods, stage FROM "${platform.schemas['notifications']}".acknowledgements
       WHERE recall_id = $1`,
      [recallId],
    )) as { hospital_ods: string; stage: string }[];
    const progress = await progressOf(platform, recallId, regulator);
    const group = <T>(rows: T[], key: (row: T) => string, value: (row: T) => string) => {
      const grouped = new Map<string, string[]>();
      for (const row of rows) grouped.set(key(row), [...(grouped.get(key(row)) ?? []), value(row)]);
      return grouped;
    };
    const noticesByImplant = new Map<string, { hospitalOds: string; ids: string[] }[]>();
    for (const [hospitalOds, endpoint] of endpoints) {
      const byImplant = group(
        endpoint.ofType('recall.match.found'),
        (notice) => String(notice['data']['implantId']),
        (notice) => String(notice['id']),
      );
      for (const [implantId, ids] of byImplant) {
        noticesByImplant.set(implantId, [
          ...(noticesByImplant.get(implantId) ?? []),
          { hospitalOds, ids },
        ]);
      }
    }
    return {
      implantsBySerial: group(
        implants,
        (row) => row.serial_number,
        (row) => row.implant_id,
      ),
      matchesByImplant: group(
        matches,
        (row) => row.implant_id,
        (row) => row.match_id,
      ),
      noticesByImplant,
      followUpsByMatch: group(
        followUps,
        (row) => row.match_id,
        (row) => row.follow_up_id,
      ),
      stagesByHospital: group(
        stages,
        (row) => row.hospital_ods,
        (row) => row.stage,
      ),
      progressStageByHospital: progress.stages,
      progressFollowUps: progress.followUps,
    };
  } finally {
    await reader.destroy();
  }
}

function describeOrder(order: KeyOrderOutcome): string {
  const disordered =
    order.outOfOrderKeys.length === 0 ? 'none' : order.outOfOrderKeys.slice(0, 5).join(', ');
  return (
    `${order.topic}: ${order.committed} events committed over ${order.keys} keys; ` +
    `${order.missing} missing from the topic, keys out of order: ${disordered}, ` +
    `${order.repeated} copies of a retried send (consumers skip them), ${order.unexpected} not committed`
  );
}

function printTable(outcomes: ReturnType<typeof faultOutcome>[]): void {
  const header = [
    'fault',
    'shown by',
    'in flight',
    'of which follow-ups',
    'stages',
    'acknowledged',
    'lost',
    'duplicated',
    'unacknowledged',
    'recording again in',
  ];
  const rows = outcomes.map((outcome) => [
    outcome.fault,
    outcome.proof,
    String(outcome.inFlight),
    String(outcome.followUps),
    String(outcome.stages),
    String(outcome.acknowledged),
    String(outcome.lost),
    String(outcome.duplicated),
    String(outcome.unacknowledged),
    outcome.recoverySeconds === undefined ? 'never' : `${outcome.recoverySeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  process.stdout.write(
    `\n${line(header)}\n${line(widths.map((width) => '-'.repeat(width)))}\n${rows.map(line).join('\n')}\n\n`,
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
