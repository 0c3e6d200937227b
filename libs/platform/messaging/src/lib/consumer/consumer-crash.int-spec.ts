import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from '../outbox/event-publisher';
import { OutboxRelay } from '../outbox/outbox-relay';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..', '..');
const fixture = join(__dirname, '..', '..', 'test-support', 'consumer-process.fixture.ts');

describe('a consumer process killed mid-batch', () => {
  const bed = new MessagingTestBed();
  const publisher = new EventPublisher('it-messaging', bed.outbox);
  const groupId = uniqueName('it-crash-group');
  let relay: OutboxRelay;

  function startConsumerProcess(): ChildProcess {
    const args = JSON.stringify({
      databaseUrl: testInfrastructure().databaseUrl,
      schema: bed.schema,
      brokers: testInfrastructure().kafkaBrokers,
      topic: bed.topic.name,
      groupId,
      effectDelayMs: 3,
    });
    return spawn(process.execPath, ['-r', '@swc-node/register', fixture, args], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  async function committedOffsets(): Promise<number> {
    const admin = bed.kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [bed.topic.name] });
    await admin.disconnect();
    return (offsets?.partitions ?? [])
      .map((p) => Math.max(0, Number(p.offset)))
      .reduce((sum, n) => sum + n, 0);
  }

  beforeAll(async () => {
    await bed.setUp();
    relay = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'relay-crash' });
    await relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await bed.tearDown();
  });

  it('resumes after SIGKILL with nothing lost, nothing applied twice, offsets never ahead', async () => {
    const total = 1_500;
    for (let i = 0; i < total / 100; i += 1) await bed.publishCommitted(publisher, 100);

    const first = startConsumerProcess();
    await waitFor(async () => (await bed.effectCounts()).total >= 300, {
      timeoutMs: 60_000,
      description: 'the first process to apply part of the events',
    });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const applied = (await bed.effectCounts()).total;
    expect(applied).toBeLessThan(total);
    expect(await committedOffsets()).toBeLessThanOrEqual(applied);

    const second = startConsumerProcess();
    try {
      await waitFor(async () => (await bed.effectCounts()).total >= total, {
        timeoutMs: 90_000,
        intervalMs: 200,
        description: 'the restarted process to apply the rest',
      });
      expect(await bed.effectCounts()).toEqual({ total, distinct: total });
      await waitFor(async () => (await committedOffsets()) === total, {
        description: 'offsets to catch up with effects',
      });
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
  });
});
