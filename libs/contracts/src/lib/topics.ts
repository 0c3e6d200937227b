export interface TopicDefinition {
  name: string;
  /** What the Kafka key is: every event of one key stays in order on one partition. */
  key: string;
  partitions: number;
  /** Broker topic configs applied when the topic is created. */
  config: Record<string, string>;
}

const RETAIN_30_DAYS = { 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 3600_000) };
const RETAIN_FOREVER = { 'cleanup.policy': 'delete', 'retention.ms': '-1' };

export const DEVICES_TOPIC = {
  name: 'device-registry.devices.v1',
  key: 'deviceId',
  partitions: 6,
  // Compacted: the latest full record per device is kept, so a replica rebuilds from offset 0.
  config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
} as const satisfies TopicDefinition;

export const IMPLANTS_TOPIC = {
  name: 'implant-events.implants.v1',
  key: 'implantId',
  partitions: 6,
  // The implant history is the platform's record of who carries what: never expired.
  config: RETAIN_FOREVER,
} as const satisfies TopicDefinition;

export const RECALLS_TOPIC = {
  name: 'recall-matching.recalls.v1',
  key: 'recallId',
  partitions: 3,
  config: RETAIN_FOREVER,
} as const satisfies TopicDefinition;

export const MATCHES_TOPIC = {
  name: 'recall-matching.matches.v1',
  key: 'hospitalOds',
  partitions: 6,
  config: RETAIN_30_DAYS,
} as const satisfies TopicDefinition;

export const ACKNOWLEDGEMENTS_TOPIC = {
  name: 'notifications.acknowledgements.v1',
  key: 'recallId',
  partitions: 3,
  config: RETAIN_30_DAYS,
} as const satisfies TopicDefinition;

export const TOPICS: readonly TopicDefinition[] = [
  DEVICES_TOPIC,
  IMPLANTS_TOPIC,
  RECALLS_TOPIC,
  MATCHES_TOPIC,
  ACKNOWLEDGEMENTS_TOPIC,
];

/** Where messages that can never be processed go, with the reason in their headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
