import type { KafkaConnectionConfig } from '@implant-trace/platform-config';

export const DEVICE_REGISTRY_OPTIONS = Symbol('DEVICE_REGISTRY_OPTIONS');

export interface DeviceRegistryOptions {
  serviceName: string;
  kafka: KafkaConnectionConfig;
  /** Largest import accepted over HTTP. */
  importMaxBytes: number;
}
