import type { LookupFunction } from 'node:net';

import type { Clock } from '@implant-trace/domain-kernel';
import type {
  CircuitPolicy,
  EndpointUrlPolicy,
  RetrySchedule,
} from '@implant-trace/notifications-domain';
import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');
export const NOTIFICATIONS_CLOCK = Symbol('NOTIFICATIONS_CLOCK');

export interface NotificationsOptions {
  serviceName: string;
  kafka: KafkaConnectionConfig;
  /** Consumer group of the fan-out (default: the service name). */
  consumerGroupId?: string;
  urlPolicy: EndpointUrlPolicy;
  /** Time an endpoint has to answer; longer is a failed attempt. */
  webhookTimeoutMs: number;
  /** Run delivery workers in this process (default true); several processes may. */
  runWorkers?: boolean;
  /** Sends in flight in this process at most. */
  workerConcurrency?: number;
  /** Sends in flight to one endpoint at most, across every worker process. */
  perEndpointConcurrency?: number;
  /** How often an idle worker looks for due deliveries. */
  pollIntervalMs?: number;
  /** Added to the timeout for a claim's lease: after it, a silent worker's row is reclaimed. */
  leaseMarginMs?: number;
  retrySchedule?: RetrySchedule;
  circuit?: CircuitPolicy;
  /** Grace period of the old secret after a rotation when the request names none. */
  defaultSecretGraceSeconds?: number;
  /** DNS resolution at registration and at connect (default: the system's `dns.lookup`). */
  lookup?: LookupFunction;
  clock?: Clock;
  random?: () => number;
}
