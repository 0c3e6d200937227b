export {
  KafkaConnection,
  messagingConnectionOptions,
  type MessagingConnectionOptions,
} from './lib/broker/kafka-connection';
export { CE_HEADERS } from './lib/broker/cloud-event-headers';
export { decodeMessage, type DecodeResult } from './lib/consumer/decode-message';
export {
  EventConsumer,
  type EventConsumerOptions,
  type EventConsumerStats,
  type HeldPartition,
  type UnappliedSince,
} from './lib/consumer/event-consumer';
export {
  PermanentEventError,
  type EventBatchHandler,
  type EventHandler,
} from './lib/consumer/event-handler';
export {
  MESSAGING_MIGRATIONS,
  MessagingTables1700000000000,
} from './lib/messaging-tables.migration';
export { OUTBOX_LANES } from './lib/outbox-lanes.migration';
export {
  EventPublisher,
  EventValidationError,
  type PublishOptions,
} from './lib/outbox/event-publisher';
export { LaneLostError } from './lib/outbox/held-lanes';
export {
  OutboxRelay,
  OutboxRowParkedError,
  type OutboxRelayOptions,
} from './lib/outbox/outbox-relay';
export { OutboxMetrics } from './lib/outbox/outbox-metrics';
export {
  OutboxRepository,
  type ParkedRow,
  type ParkedSummary,
} from './lib/outbox/outbox.repository';
export { provisionTopics, TopicPartitionMismatchError } from './lib/topics/topic-provisioner';
export { partitionPlacements, type PartitionPlacement } from './lib/topics/partition-placement';
export { redriveDeadLetters, rewindConsumerGroup } from './lib/replay/replay';
export {
  EventConsumerFactory,
  MessagingModule,
  type MessagingModuleOptions,
} from './lib/messaging.module';
export { readTopic, type ReadMessage, type ReadTopicOptions } from './lib/replay/topic-reader';
export { decideRevision, type RevisionDecision } from './lib/compacted/revision.policy';
export {
  applyNewerRevision,
  type RevisionedRecord,
  type RevisionedTable,
} from './lib/compacted/compacted-revision.util';
export {
  CatchUpTracker,
  STUCK_AFTER_MS,
  type CatchUpOptions,
} from './lib/catch-up/catch-up.tracker';
export { eventsBehind, type PartitionProgress } from './lib/catch-up/catch-up.policy';
export { InboxEventContext } from './lib/transport/inbox-event.context';
export {
  EventBatchPattern,
  InboxBatchContext,
} from './lib/transport/event-batch-pattern.decorator';
export { InboxTransport, type InboxTransportOptions } from './lib/transport/inbox.transport';
export { connectInboxTransport } from './lib/transport/connect-inbox-transport';
// For tests of the services built on the outbox: the relay deletes what it has sent.
export {
  keepOutboxCopies,
  publishedEvents,
  reinsertOutboxCopies,
  untilOutboxEmpty,
  type OutboxRowCopy,
  type PublishedEvent,
} from './test-support/published-events';
