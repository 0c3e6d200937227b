import { uniqueName } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { redriveDeadLetters } from './replay';
import { readTopic } from './topic-reader';

describe('redriveDeadLetters', () => {
  const bed = new MessagingTestBed(1);
  const groupId = uniqueName('it-redrive');

  async function deadLetter(count: number): Promise<void> {
    await bed.producer.send({
      topic: `${bed.topic.name}.dlq`,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({
        key: `key-${i}`,
        value: `{"n":${i}}`,
        headers: { ce_id: uniqueName('event'), dlq_reason: 'handler refused', dlq_time: 'now' },
      })),
    });
  }

  beforeAll(async () => {
    await bed.setUp();
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  it('ends at once when the dead-letter topic is empty', async () => {
    expect(await redriveDeadLetters(bed.kafka, bed.topic.name, groupId)).toBe(0);
  });

  it('re-drives each dead letter once and ends when nothing is left to re-drive', async () => {
    await deadLetter(3);
    expect(await redriveDeadLetters(bed.kafka, bed.topic.name, groupId)).toBe(3);
    // Everything was re-driven already: this run must end, not wait for a fourth letter.
    expect(await redriveDeadLetters(bed.kafka, bed.topic.name, groupId)).toBe(0);
    await deadLetter(2);
    expect(await redriveDeadLetters(bed.kafka, bed.topic.name, groupId)).toBe(2);

    const redriven = await readTopic(bed.kafka, bed.topic.name, {
      until: (messages) => messages.length >= 5,
    });
    expect(redriven.map((m) => m.key)).toEqual(['key-0', 'key-1', 'key-2', 'key-0', 'key-1']);
    const admin = bed.kafka.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(bed.topic.name);
    await admin.disconnect();
    expect(end?.high).toBe('5');
    for (const message of redriven) {
      expect(Object.keys(message.headers).filter((name) => name.startsWith('dlq_'))).toEqual([]);
    }
  }, 60_000);
});
