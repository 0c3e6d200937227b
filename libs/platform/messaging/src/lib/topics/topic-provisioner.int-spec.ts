import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import { KafkaConnection } from '../broker/kafka-connection';
import { provisionTopics, TopicPartitionMismatchError } from './topic-provisioner';

describe('provisionTopics against the broker', () => {
  const kafka = new KafkaConnection({
    brokers: testInfrastructure().kafkaBrokers,
    clientId: 'it-provisioner',
  });
  const created: string[] = [];

  async function partitionsOf(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.length ?? 0;
    } finally {
      await admin.disconnect();
    }
  }

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: created });
    await admin.disconnect();
  });

  it('creates a missing topic and its dead-letter topic, then leaves them as they are', async () => {
    const topic = { name: uniqueName('it.provision'), key: 'implantId', partitions: 3, config: {} };
    created.push(topic.name, `${topic.name}.dlq`);
    expect(await provisionTopics(kafka, [topic])).toEqual([topic.name, `${topic.name}.dlq`]);
    expect(await provisionTopics(kafka, [topic])).toEqual([]);
    expect(await partitionsOf(topic.name)).toBe(3);
  });

  it.each([
    ['more', 6],
    ['fewer', 2],
  ])(
    'refuses to start when a keyed topic exists with %s partitions than its contract, changing nothing',
    async (_, configured) => {
      const topic = {
        name: uniqueName('it.provision'),
        key: 'implantId',
        partitions: 3,
        config: {},
      };
      created.push(topic.name, `${topic.name}.dlq`);
      await provisionTopics(kafka, [topic]);

      const attempt = provisionTopics(kafka, [{ ...topic, partitions: configured }]);
      await expect(attempt).rejects.toBeInstanceOf(TopicPartitionMismatchError);
      await expect(attempt).rejects.toThrow(
        `topic ${topic.name} has 3 partitions, its contract says ${configured}`,
      );
      expect(await partitionsOf(topic.name)).toBe(3);
    },
  );
});
