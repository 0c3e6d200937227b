export const DEVICE_REGISTRY_OPTIONS = Symbol('DEVICE_REGISTRY_OPTIONS');

export interface DeviceRegistryOptions {
  serviceName: string;
  kafkaBrokers: string[];
  /** Largest import accepted over HTTP. */
  importMaxBytes: number;
}
