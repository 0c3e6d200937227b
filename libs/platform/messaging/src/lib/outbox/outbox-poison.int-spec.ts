import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { uuidV7 } from '@implant-trace/identifiers';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';
import { ConfigResourceTypes } from 'kafkajs';
import { Registry } from 'prom-client';

import { cloudEventHeaders } from '../broker/cloud-event-headers';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { readTopic } from '../replay/topic-reader';
import { EventPublisher } from './event-publisher';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxRelay, OutboxRowParkedError } from './outbox-relay';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..', '..');

/** The operator's command, run as an operator runs it. */
function replayTool(...args: string[]): string {
  return execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', join('tools', 'messaging', 'replay.ts'), ...args],
    {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: testInfrastructure().databaseUrl,
        KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(','),
      },
    },
  );
}

describe('a poison outbox row', () => {
  const bed = new MessagingTestBed();
  const publisher = new EventPublisher('it-messaging', bed.outbox);
  const registry = new Registry();
  const parkedErrors: OutboxRowParkedError[] = [];
  let relay: OutboxRelay;

  async function metric(name: string, topic = bed.topic.name): Promise<number | undefined> {
    const found = await registry.getSingleMetric(name)?.get();
    return found?.values.find((v) => v.labels['topic'] === topic)?.value;
  }

  /** A sent row is deleted from the outbox when its batch commits. */
  async function outboxState(eventId: string) {
    const [row] = (await bed.dataSource.query(
      `SELECT false AS published, parked_at IS NOT NULL AS parked, parked_reason AS reason
       FROM outbox WHERE event_id = $1`,
      [eventId],
    )) as [{ published: boolean; parked: boolean; reason: string | null }?];
    return row ?? { published: true, parked: false, reason: null };
  }

  beforeAll(async () => {
    await bed.setUp();
    relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'relay-poison',
      maxSendFailures: 3,
      metrics: new OutboxMetrics(registry, bed.outbox),
      onError: (error) => {
        if (error instanceof OutboxRowParkedError) parkedErrors.push(error);
      },
    });
  });

  afterAll(async () => {
    await relay.stop();
    await bed.tearDown();
  });

  it('is parked with its reason while the ten rows around it arrive once each', async () => {
    const blockedKey = uuidV7();
    const bigId = uuidV7();
    const { before, follower, after } = await bed.dataSource.transaction(async (tx) => {
      const rows = {
        before: [] as string[],
        follower: '',
        after: [] as string[],
      };
      for (let i = 0; i < 5; i += 1) {
        rows.before.push(await publisher.publish(tx, bed.event, bed.payload()));
      }
      // 2 MB: twice what the broker accepts in one message. Written as the publisher writes,
      // past the contract's own field limits, as a bug elsewhere could.
      const big = { ...bed.payload(blockedKey), reason: 'x'.repeat(2 * 1024 * 1024) };
      await bed.outbox.insert(tx, { topic: bed.topic.name, type: bed.event.type }, [
        {
          eventId: bigId,
          messageKey: blockedKey,
          headers: cloudEventHeaders({
            id: bigId,
            type: bed.event.type,
            source: 'it-messaging',
            time: new Date().toISOString(),
            subject: blockedKey,
          }),
          payload: JSON.stringify(big),
        },
      ]);
      rows.follower = await publisher.publish(tx, bed.event, bed.payload(blockedKey));
      for (let i = 0; i < 5; i += 1) {
        rows.after.push(await publisher.publish(tx, bed.event, bed.payload()));
      }
      return rows;
    });
    const ten = [...before, ...after];

    await relay.start();
    await waitFor(async () => (await outboxState(bigId)).parked, {
      description: 'the big row to be parked',
    });
    await waitFor(
      async () => {
        for (const id of ten) if (!(await outboxState(id)).published) return false;
        return true;
      },
      { description: 'the ten normal rows to be published' },
    );

    const big = await outboxState(bigId);
    expect(big.published).toBe(false);
    expect(big.reason).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(parkedErrors.map((e) => e.row.event_id)).toEqual([bigId]);
    // The row behind it, of the same key, waits: not sent, not parked.
    expect(await outboxState(follower)).toEqual({ published: false, parked: false, reason: null });

    const admin = bed.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(bed.topic.name);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(10);
    const onTopic = await readTopic(bed.kafka, bed.topic.name, {
      until: (messages) => messages.length === 10,
    });
    const sent = onTopic.map((m) => m.headers['ce_id']);
    expect([...sent].sort()).toEqual([...ten].sort());

    expect(await metric('outbox_rows_parked_total')).toBe(1);
    expect(await metric('outbox_parked_rows')).toBe(1);
    expect(await metric('outbox_blocked_keys')).toBe(1);
  });

  it('is listed with its blocked key, and re-sent by the operator once the broker can take it', async () => {
    const [listed] = await bed.outbox.listParked();
    const [follower] = (await bed.dataSource.query(
      `SELECT event_id FROM outbox WHERE message_key = $1 AND id > $2`,
      [listed?.messageKey, listed?.id],
    )) as [{ event_id: string }];
    const listing = replayTool('parked', bed.schema);
    expect(listing).toContain(`outbox id ${listed?.id} | event ${listed?.eventId}`);
    expect(listing).toContain(`key ${listed?.messageKey} blocked, 1 later rows waiting`);
    expect(listing).toContain('reason: MESSAGE_TOO_LARGE: ');
    expect(listing).toContain(`1 parked outbox rows in ${bed.schema}`);

    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: bed.topic.name,
          configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }],
        },
      ],
    });
    await admin.disconnect();
    expect(replayTool('resend-parked', bed.schema, '--all')).toContain(
      `1 parked outbox rows handed back to the relay: ${listed?.id}`,
    );

    const onTopic = await readTopic(bed.kafka, bed.topic.name, {
      until: (messages) => messages.length === 12,
    });
    const ofKey = onTopic
      .filter((m) => m.key === listed?.messageKey)
      .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
      .map((m) => m.headers['ce_id']);
    expect(ofKey).toEqual([listed?.eventId, follower.event_id]);
    expect(await bed.outbox.listParked()).toEqual([]);
    expect(await metric('outbox_parked_rows')).toBeUndefined();
  });

  it('is parked once it has failed on its own as often as allowed, while other keys flow', async () => {
    const missingTopic = `${bed.topic.name}.never-provisioned`;
    const strayId = uuidV7();
    const strayKey = uuidV7();
    const next = await bed.dataSource.transaction(async (tx) => {
      await bed.outbox.insert(tx, { topic: missingTopic, type: bed.event.type }, [
        {
          eventId: strayId,
          messageKey: strayKey,
          headers: cloudEventHeaders({
            id: strayId,
            type: bed.event.type,
            source: 'it-messaging',
            time: new Date().toISOString(),
            subject: strayKey,
          }),
          payload: JSON.stringify(bed.payload(strayKey)),
        },
      ]);
      return publisher.publish(tx, bed.event, bed.payload());
    });

    await waitFor(async () => (await outboxState(strayId)).parked, {
      description: 'the row for a topic that does not exist to be parked',
    });
    const [stray] = (await bed.dataSource.query(
      `SELECT send_failures AS "sendFailures", parked_reason AS reason FROM outbox WHERE event_id = $1`,
      [strayId],
    )) as [{ sendFailures: number; reason: string }];
    expect(stray).toEqual({
      sendFailures: 3,
      reason: `topic ${missingTopic} does not exist on the broker`,
    });
    await waitFor(async () => (await outboxState(next)).published, {
      description: 'the next row of another key to be published',
    });
    const counted = await registry.getSingleMetric('outbox_rows_parked_total')?.get();
    expect(counted?.values.find((v) => v.labels['topic'] === missingTopic)).toMatchObject({
      labels: { topic: missingTopic, cause: 'failures' },
      value: 1,
    });
    expect(await metric('outbox_blocked_keys', missingTopic)).toBe(1);
  });
});
