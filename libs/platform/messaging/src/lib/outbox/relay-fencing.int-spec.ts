import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import { InterposedKafkaConnection } from '../../test-support/interposed-kafka-connection';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { readTopic } from '../replay/topic-reader';
import { EventPublisher } from './event-publisher';
import { LaneLostError } from './held-lanes';
import { OutboxRelay } from './outbox-relay';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..', '..');
const fixture = join(__dirname, '..', '..', 'test-support', 'relay-process.fixture.ts');

interface RelayProcess {
  child: ChildProcess;
  lines: string[];
}

describe('one sender per outbox lane', () => {
  // A topic of its own for each test, so what is on it is exactly what the test sent.
  let bed: MessagingTestBed;
  let publisher: EventPublisher;

  beforeEach(async () => {
    bed = new MessagingTestBed();
    publisher = new EventPublisher('it-messaging', bed.outbox);
    await bed.setUp();
  });
  afterEach(() => bed.tearDown());

  /** Commits `perKey` events for each key, interleaved, in one transaction. */
  async function publishForKeys(keys: string[], perKey: number): Promise<Map<string, string[]>> {
    const ids = await bed.publishCommitted(
      publisher,
      keys.length * perKey,
      (i) => keys[i % keys.length] as string,
    );
    const byKey = new Map(keys.map((key) => [key, [] as string[]]));
    ids.forEach((id, i) => byKey.get(keys[i % keys.length] as string)?.push(id));
    return byKey;
  }

  /** The event ids of each key on the topic, in offset order, once `count` messages are there. */
  async function topicByKey(count: number): Promise<Map<string, string[]>> {
    const admin = bed.kafka.admin();
    await admin.connect();
    await waitFor(
      async () =>
        (await admin.fetchTopicOffsets(bed.topic.name)).reduce((n, p) => n + Number(p.high), 0) ===
        count,
      { description: `${count} messages on the topic` },
    ).finally(() => admin.disconnect());
    const messages = await readTopic(bed.kafka, bed.topic.name, {
      until: (read) => read.length === count,
    });
    const byKey = new Map<string, string[]>();
    for (const m of [...messages].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))) {
      const ids = byKey.get(m.key ?? '') ?? [];
      ids.push(m.headers['ce_id'] ?? '');
      byKey.set(m.key ?? '', ids);
    }
    return byKey;
  }

  /** Each event in the order it first appears: what an inbox consumer applies. */
  const firstAppearances = (ids: string[]) => [...new Set(ids)];

  /** Rows of `ids` still in the outbox: sent rows are deleted when their batch commits. */
  async function unsent(ids: string[]): Promise<number> {
    const [row] = (await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[])`,
      [ids],
    )) as [{ n: number }];
    return row.n;
  }

  function startRelayProcess(
    relayId: string,
    options: { pauseBeforeSendMs: number; hangAfterSend: boolean },
  ): RelayProcess {
    const args = JSON.stringify({
      databaseUrl: testInfrastructure().databaseUrl,
      schema: bed.schema,
      brokers: testInfrastructure().kafkaBrokers,
      relayId,
      leaseMs: 1_500,
      concurrency: 1,
      ...options,
    });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', fixture, args], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    if (child.stdout !== null)
      createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    return { child, lines };
  }

  async function exitOf(child: ChildProcess): Promise<NodeJS.Signals | null> {
    if (child.exitCode !== null || child.signalCode !== null) return child.signalCode;
    return new Promise((resolve) => child.once('exit', (_, signal) => resolve(signal)));
  }

  it('keeps a slow sender its lane past the lease: a rival sends nothing of it, each row once, in key order', async () => {
    const keys = await bed.keysInOneLane(3);
    const byKey = await publishForKeys(keys, 10);
    const ids = [...byKey.values()].flat();
    // Keep-alives come every third of the lease: a loaded machine still has slack in time.
    const leaseMs = 2_000;
    let sending = false;
    let sendMs = 0;
    const slowKafka = new InterposedKafkaConnection(
      { brokers: testInfrastructure().kafkaBrokers, clientId: 'it-slow-relay' },
      {
        beforeSend: async () => {
          sending = true;
          const started = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 2.5 * leaseMs));
          sendMs = performance.now() - started;
        },
      },
    );
    const slow = new OutboxRelay(bed.outbox, slowKafka, { relayId: 'slow', leaseMs });
    const rival = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'rival', leaseMs });
    await slow.start();
    try {
      await waitFor(() => sending, { description: 'the slow relay to start sending its lane' });
      await rival.start();
      await waitFor(async () => (await unsent(ids)) === 0, {
        timeoutMs: 30_000,
        description: 'the slow relay to commit its lane',
      });
    } finally {
      await rival.stop();
      await slow.stop();
    }

    // The send outlasted the lease; a lane ended by PostgreSQL would have let the rival resend.
    expect(sendMs).toBeGreaterThan(leaseMs);
    const onTopic = await topicByKey(ids.length);
    for (const [key, keyIds] of byKey) expect(onTopic.get(key)).toEqual(keyIds);
  }, 60_000);

  it('gives the lane of a relay frozen mid-send to a rival: the thawed relay commits nothing, the rival keeps key order', async () => {
    const byKey = await publishForKeys(await bed.keysInOneLane(2), 6);
    const ids = [...byKey.values()].flat();
    const frozen = startRelayProcess('frozen', { pauseBeforeSendMs: 3_000, hangAfterSend: false });
    const rivalErrors: unknown[] = [];
    const rival = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'rival-2',
      leaseMs: 1_500,
      onError: (error) => rivalErrors.push(error),
    });
    try {
      await waitFor(() => frozen.lines.includes('sending'), {
        timeoutMs: 30_000,
        description: 'the relay process to start sending',
      });
      frozen.child.kill('SIGSTOP');
      await rival.start();
      await waitFor(async () => (await unsent(ids)) === 0, {
        description: 'PostgreSQL to end the frozen lane and the rival to send it',
      });
      await topicByKey(ids.length);

      frozen.child.kill('SIGCONT');
      // Thawed, it sends what it had taken, then finds its lane's transaction ended.
      await waitFor(
        () => {
          const lastSent = frozen.lines.lastIndexOf('sent');
          return (
            frozen.lines.filter((line) => line === 'sent').length === 1 &&
            frozen.lines.indexOf('lane-lost', lastSent) > lastSent
          );
        },
        { description: 'the thawed relay to send, then find its lane lost when committing' },
      );
      expect(await unsent(ids)).toBe(0);
    } finally {
      frozen.child.kill('SIGCONT');
      frozen.child.kill('SIGKILL');
      await exitOf(frozen.child);
      await rival.stop();
    }
    expect(rivalErrors.filter((e) => e instanceof LaneLostError)).toEqual([]);
    // The takeover's copy comes first and whole; the frozen relay's stale copy follows it.
    const onTopic = await topicByKey(2 * ids.length);
    for (const [key, keyIds] of byKey) {
      expect(onTopic.get(key)).toEqual([...keyIds, ...keyIds]);
      expect(firstAppearances(onTopic.get(key) ?? [])).toEqual(keyIds);
    }
  }, 90_000);

  it('hands the rows of a relay SIGKILLed between sending and committing over in key order', async () => {
    const keys = await bed.keysInOneLane(2);
    const first = await publishForKeys(keys, 6);
    const firstIds = [...first.values()].flat();
    const killed = startRelayProcess('killed', { pauseBeforeSendMs: 0, hangAfterSend: true });
    let later: Map<string, string[]>;
    try {
      // Sent: the broker holds every row. Not committed: the outbox still holds them.
      await topicByKey(firstIds.length);
      await waitFor(() => killed.lines.filter((line) => line === 'sent').length === 1, {
        description: 'the batch request acknowledged',
      });
      expect(await unsent(firstIds)).toBe(firstIds.length);
      killed.child.kill('SIGKILL');
      expect(await exitOf(killed.child)).toBe('SIGKILL');
      later = await publishForKeys(keys, 6);
    } finally {
      killed.child.kill('SIGKILL');
      await exitOf(killed.child);
    }

    const rival = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'rival-3', leaseMs: 1_500 });
    await rival.start();
    const allIds = [...firstIds, ...[...later.values()].flat()];
    try {
      await waitFor(async () => (await unsent(allIds)) === 0, {
        description: 'the rival to publish the dead relay rows and the later ones',
      });
    } finally {
      await rival.stop();
    }
    // The dead relay's copy, then the takeover's in full order: nothing newer ever precedes an
    // older row of its key, and the newest row is the key's last message.
    const onTopic = await topicByKey(firstIds.length + allIds.length);
    for (const key of keys) {
      const sent = first.get(key) ?? [];
      const all = [...sent, ...(later.get(key) ?? [])];
      expect(onTopic.get(key)).toEqual([...sent, ...all]);
      expect(firstAppearances(onTopic.get(key) ?? [])).toEqual(all);
    }
  }, 90_000);
});
