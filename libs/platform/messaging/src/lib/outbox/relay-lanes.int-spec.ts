import { uuidV7 } from '@implant-trace/identifiers';
import { waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { readTopic } from '../replay/topic-reader';
import { EventPublisher } from './event-publisher';
import { OutboxRelay } from './outbox-relay';

describe('outbox lanes', () => {
  let bed: MessagingTestBed;
  let publisher: EventPublisher;

  beforeEach(async () => {
    bed = new MessagingTestBed(6);
    publisher = new EventPublisher('it-messaging', bed.outbox);
    await bed.setUp();
  });
  afterEach(() => bed.tearDown());

  async function idsByKeyOnTopic(count: number): Promise<Map<string, string[]>> {
    const messages = await readTopic(bed.kafka, bed.topic.name, {
      until: (read) => read.length >= count,
    });
    const byKey = new Map<string, string[]>();
    for (const m of [...messages].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))) {
      byKey.set(m.key ?? '', [...(byKey.get(m.key ?? '') ?? []), m.headers['ce_id'] ?? '']);
    }
    return byKey;
  }

  it('sends every row exactly once and each key in order with three relays of two workers each', async () => {
    const keys = Array.from({ length: 40 }, () => uuidV7());
    const expected = new Map(keys.map((key) => [key, [] as string[]]));
    const relays = ['a', 'b', 'c'].map(
      (id) => new OutboxRelay(bed.outbox, bed.kafka, { relayId: id, batchSize: 25 }),
    );
    await Promise.all(relays.map((relay) => relay.start()));
    try {
      // Written while the relays run, so lanes are taken and given back under them.
      for (let round = 0; round < 10; round += 1) {
        const ids = await bed.publishCommitted(publisher, keys.length, (i) => keys[i] as string);
        ids.forEach((id, i) => expected.get(keys[i] as string)?.push(id));
      }
      await waitFor(async () => (await bed.outbox.pendingCount()) === 0, {
        description: 'every row sent',
      });
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    const admin = bed.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(bed.topic.name).finally(() => admin.disconnect());
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(400);
    expect(await idsByKeyOnTopic(400)).toEqual(expected);
  }, 60_000);

  it('is woken by the commit of new rows, not by its poll', async () => {
    const relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'listener',
      idlePollMs: 600_000,
    });
    await relay.start();
    try {
      // Both workers have found nothing and sleep on the ten-minute poll.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const ids = await bed.publishCommitted(publisher, 5);
      await waitFor(async () => (await bed.outbox.pendingCount()) === 0, {
        timeoutMs: 20_000,
        description: 'the notified relay to send the rows',
      });
      const onTopic = [...(await idsByKeyOnTopic(5)).values()].flat();
      expect(onTopic.sort()).toEqual([...ids].sort());
    } finally {
      await relay.stop();
    }
  });
});
