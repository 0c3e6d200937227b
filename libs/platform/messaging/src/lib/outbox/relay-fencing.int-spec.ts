import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { uuidV7 } from '@implant-trace/identifiers';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import { InterposedKafkaConnection } from '../../test-support/interposed-kafka-connection';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { readTopic } from '../replay/topic-reader';
import { EventPublisher } from './event-publisher';
import { OutboxLeaseLostError, OutboxRelay } from './outbox-relay';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..', '..');
const fixture = join(__dirname, '..', '..', 'test-support', 'relay-process.fixture.ts');

interface RelayProcess {
  child: ChildProcess;
  lines: string[];
}

describe('fenced relay leases', () => {
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

  async function published(ids: string[], claimedBy: string): Promise<number> {
    const [row] = (await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox
       WHERE event_id = ANY($1::uuid[]) AND published_at IS NOT NULL AND claimed_by LIKE $2`,
      [ids, `${claimedBy}%`],
    )) as [{ n: number }];
    return row.n;
  }

  async function leaseEnds(ids: string[]): Promise<{ earliest: Date; now: Date }> {
    const [row] = (await bed.dataSource.query(
      `SELECT min(claimed_until) AS earliest, clock_timestamp() AS now FROM outbox
       WHERE event_id = ANY($1::uuid[])`,
      [ids],
    )) as [{ earliest: Date; now: Date }];
    return row;
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

  it('keeps a slow relay lease while it sends: no takeover, each row once, in key order', async () => {
    const byKey = await publishForKeys([uuidV7(), uuidV7(), uuidV7()], 10);
    const ids = [...byKey.values()].flat();
    // Renewals come every third of the lease: a loaded machine still has slack to renew in time.
    const leaseMs = 2_000;
    let duringSend:
      { before: { earliest: Date; now: Date }; after: { earliest: Date; now: Date } } | undefined;
    const slowKafka = new InterposedKafkaConnection(
      { brokers: testInfrastructure().kafkaBrokers, clientId: 'it-slow-relay' },
      {
        beforeSend: async () => {
          const before = await leaseEnds(ids);
          await new Promise((resolve) => setTimeout(resolve, 2.5 * leaseMs));
          duringSend ??= { before, after: await leaseEnds(ids) };
        },
      },
    );
    const slow = new OutboxRelay(bed.outbox, slowKafka, { relayId: 'slow', leaseMs });
    const rival = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'rival', leaseMs });
    await slow.start();
    try {
      await waitFor(
        async () => {
          const [row] = (await bed.dataSource.query(
            `SELECT count(*)::int AS n FROM outbox WHERE claimed_by LIKE 'slow%'`,
          )) as [{ n: number }];
          return row.n === ids.length;
        },
        { description: 'the slow relay to claim every row' },
      );
      await rival.start();
      await waitFor(async () => (await published(ids, 'slow')) === ids.length, {
        timeoutMs: 30_000,
        description: 'the slow relay to publish every row',
      });
    } finally {
      await rival.stop();
      await slow.stop();
    }

    // The send outlasted the lease it started with; renewals kept the rows held all along.
    expect(duringSend?.after.now.getTime()).toBeGreaterThan(
      duringSend?.before.earliest.getTime() ?? Infinity,
    );
    expect(duringSend?.after.earliest.getTime()).toBeGreaterThan(
      duringSend?.after.now.getTime() ?? Infinity,
    );
    expect(await published(ids, 'rival')).toBe(0);
    const onTopic = await topicByKey(ids.length);
    for (const [key, keyIds] of byKey) expect(onTopic.get(key)).toEqual(keyIds);
  }, 60_000);

  it('fences a relay frozen mid-send: it marks nothing the takeover holds, the takeover keeps key order', async () => {
    const byKey = await publishForKeys([uuidV7(), uuidV7()], 6);
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
      await waitFor(async () => (await published(ids, 'rival-2')) === ids.length, {
        description: 'the rival to take the expired lease over and publish',
      });
      const marks = (await bed.dataSource.query(
        `SELECT id, published_at, claimed_by, lease_token FROM outbox
         WHERE event_id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      )) as unknown[];

      frozen.child.kill('SIGCONT');
      // Thawed, it sends what it had claimed, then tries to mark it: the mark reports the
      // lease lost (a renewal may have reported it before the sends, too).
      await waitFor(
        () => {
          const lastSent = frozen.lines.lastIndexOf('sent');
          return (
            frozen.lines.filter((line) => line === 'sent').length === 1 &&
            frozen.lines.indexOf('lease-lost', lastSent) > lastSent
          );
        },
        { description: 'the thawed relay to send, then find its lease lost when marking' },
      );
      // Its late send reached the broker, but its mark changed nothing.
      expect(
        await bed.dataSource.query(
          `SELECT id, published_at, claimed_by, lease_token FROM outbox
           WHERE event_id = ANY($1::uuid[]) ORDER BY id`,
          [ids],
        ),
      ).toEqual(marks);
    } finally {
      frozen.child.kill('SIGCONT');
      frozen.child.kill('SIGKILL');
      await exitOf(frozen.child);
      await rival.stop();
    }
    expect(rivalErrors.filter((e) => e instanceof OutboxLeaseLostError)).toEqual([]);
    // The takeover's copy comes first and whole; the frozen relay's stale copy follows it.
    const onTopic = await topicByKey(2 * ids.length);
    for (const [key, keyIds] of byKey) {
      expect(onTopic.get(key)).toEqual([...keyIds, ...keyIds]);
      expect(firstAppearances(onTopic.get(key) ?? [])).toEqual(keyIds);
    }
  }, 90_000);

  it('hands the rows of a relay SIGKILLed between sending and marking over in key order', async () => {
    const keys = [uuidV7(), uuidV7()];
    const first = await publishForKeys(keys, 6);
    const firstIds = [...first.values()].flat();
    const killed = startRelayProcess('killed', { pauseBeforeSendMs: 0, hangAfterSend: true });
    let later: Map<string, string[]>;
    try {
      // Sent: the broker holds every row. Not marked: the outbox still shows them unpublished.
      await topicByKey(firstIds.length);
      await waitFor(() => killed.lines.filter((line) => line === 'sent').length === 1, {
        description: 'the batch request acknowledged',
      });
      const [held] = (await bed.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox
         WHERE event_id = ANY($1::uuid[]) AND published_at IS NULL AND claimed_by LIKE 'killed%'`,
        [firstIds],
      )) as [{ n: number }];
      expect(held.n).toBe(firstIds.length);
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
      await waitFor(async () => (await published(allIds, 'rival-3')) === allIds.length, {
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
