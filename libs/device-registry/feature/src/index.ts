export {
  DEVICE_REGISTRY_ENTITIES,
  DEVICE_REGISTRY_MIGRATIONS,
  DeviceRegistryModule,
} from './lib/device-registry.module';
export { type DeviceRegistryOptions } from './lib/device-registry.options';
export {
  ApplyDeviceChangesUseCase,
  DEVICE_CLOCK,
} from './lib/apply-device-changes/apply-device-changes.use-case';
export { DeviceCatalogueRepository } from './lib/catalogue/device-catalogue.repository';
export {
  ImportDevicesUseCase,
  type ImportOptions,
  type ImportRejection,
  type ImportReport,
} from './lib/import-devices/import-devices.use-case';
