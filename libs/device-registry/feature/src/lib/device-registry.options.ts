import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const DEVICE_REGISTRY_OPTIONS = Symbol('DEVICE_REGISTRY_OPTIONS');

export interface DeviceRegistryOptions {
  serviceName: string;
  kafka: KafkaConnectionConfig;
  /**
   * Run the outbox relay in this process (the default). Off for an instance that only serves
   * requests beside others that relay, and for tests that read what the service committed to
   * its outbox (the relay deletes each row it sends).
   */
  runRelay?: boolean;
  /** Largest import accepted over HTTP. */
  importMaxBytes: number;
}
