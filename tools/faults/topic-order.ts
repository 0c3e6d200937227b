import { IMPLANTS_TOPIC, MATCHES_TOPIC } from '@implant-trace/contracts';
import { CE_HEADERS, type KafkaConnection, readTopic } from '@implant-trace/platform-messaging';

import { type KeyOrderOutcome, keyOrderOutcome } from './fault-outcome';
import type { PlatformUnderTest, ServiceName } from './platform-under-test';
import { committedEvents } from './sent-log';

/** The topics the load writes to, each with the service whose outbox commits its events. */
const LOADED_TOPICS: readonly { topic: string; owner: ServiceName }[] = [
  { topic: IMPLANTS_TOPIC.name, owner: 'implant-events' },
  { topic: MATCHES_TOPIC.name, owner: 'recall-matching' },
];

async function messageCount(kafka: KafkaConnection, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Per key, whether the loaded topics hold every committed event, in the order its service
 * committed them (outbox order), read from offset 0 to the end.
 */
export async function keyOrderOnLoadedTopics(
  kafka: KafkaConnection,
  platform: PlatformUnderTest,
): Promise<KeyOrderOutcome[]> {
  return Promise.all(
    LOADED_TOPICS.map(async ({ topic, owner }) => {
      const expected = await committedEvents(platform.schemas[owner], topic);
      const count = await messageCount(kafka, topic);
      const messages =
        count === 0
          ? []
          : await readTopic(kafka, topic, {
              until: (read) => read.length >= count,
              timeoutMs: 120_000,
            });
      const onTopic = messages.map((message) => ({
        key: message.key ?? '',
        id: message.headers[CE_HEADERS.id] ?? '',
      }));
      return keyOrderOutcome(topic, expected, onTopic);
    }),
  );
}
