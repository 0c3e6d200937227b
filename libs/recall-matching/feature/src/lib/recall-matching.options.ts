import type { Clock } from '@implant-trace/domain-kernel';
import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const RECALL_MATCHING_OPTIONS = Symbol('RECALL_MATCHING_OPTIONS');
export const RECALL_MATCHING_CLOCK = Symbol('RECALL_MATCHING_CLOCK');

export interface RecallMatchingOptions {
  serviceName: string;
  kafka: KafkaConnectionConfig;
  /**
   * Run the outbox relay in this process (the default). Off for an instance that only serves
   * requests beside others that relay, and for tests that read what the service committed to
   * its outbox (the relay deletes each row it sends).
   */
  runRelay?: boolean;
  /** Consumer group of the projection, the replica and the acknowledgements (default: the service name). */
  consumerGroupId?: string;
  /** Event times, deadlines and overdue (default: the system clock). */
  clock?: Clock;
}
