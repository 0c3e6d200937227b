import type { Clock } from '@implant-trace/domain-kernel';
import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const IMPLANT_EVENTS_OPTIONS = Symbol('IMPLANT_EVENTS_OPTIONS');
export const IMPLANT_EVENTS_REDIS = Symbol('IMPLANT_EVENTS_REDIS');
export const IMPLANT_EVENTS_CLOCK = Symbol('IMPLANT_EVENTS_CLOCK');
/** The recall-criteria evaluation the scan check applies (one function, injected). */
export const RECALL_EVALUATION = Symbol('RECALL_EVALUATION');

export interface ImplantEventsOptions {
  serviceName: string;
  kafka: KafkaConnectionConfig;
  /**
   * Run the outbox relay in this process (the default). Off for an instance that only serves
   * requests beside others that relay, and for tests that read what the service committed to
   * its outbox (the relay deletes each row it sends).
   */
  runRelay?: boolean;
  /** Consumer group of the replica and the index (default: the service name). */
  consumerGroupId?: string;
  redisUrl: string;
  /** Names this deployment's cache keys (its database schema). */
  cacheScope: string;
  redisCommandTimeoutMs: number;
  /** Today's date for expiry (default: the system clock). */
  clock?: Clock;
}
