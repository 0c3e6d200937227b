import type { Clock } from '@implant-trace/domain-kernel';
import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const IMPLANT_EVENTS_OPTIONS = Symbol('IMPLANT_EVENTS_OPTIONS');
export const IMPLANT_EVENTS_REDIS = Symbol('IMPLANT_EVENTS_REDIS');
export const IMPLANT_EVENTS_CLOCK = Symbol('IMPLANT_EVENTS_CLOCK');
/** The recall-criteria evaluation the scan check applies (one function, injected). */
export const RECALL_EVALUATION = Symbol('RECALL_EVALUATION');

/** What a deployment does with NHS numbers of the 999 test range (`NHS_NUMBER_POLICY`). */
export const NHS_NUMBER_POLICIES = ['refuse-test-numbers', 'require-test-numbers', 'any'] as const;
export type NhsNumberPolicy = (typeof NHS_NUMBER_POLICIES)[number];

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
  /**
   * Recording refuses test numbers in production (a demo record leaked into a real service)
   * and requires them in a demo (a real patient's number where it must not be). Default `any`.
   */
  nhsNumberPolicy?: NhsNumberPolicy;
  /** Today's date for expiry (default: the system clock). */
  clock?: Clock;
}
