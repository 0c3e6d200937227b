import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import { DEVICES_TOPIC } from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { MESSAGING_MIGRATIONS, MessagingModule } from '@implant-trace/platform-messaging';

import {
  ApplyDeviceChangesUseCase,
  DEVICE_CLOCK,
} from './apply-device-changes/apply-device-changes.use-case';
import { DeviceEntity } from './catalogue/device.entity';
import { DeviceIdentifierEntity } from './catalogue/device-identifier.entity';
import { CreateDeviceCatalogue1767225600100 } from './catalogue/device-catalogue.migration';
import { RecordGeneratedColumns1767225600101 } from './catalogue/generated-columns.migration';
import { DeviceCatalogueRepository } from './catalogue/device-catalogue.repository';
import { DEVICE_REGISTRY_OPTIONS, type DeviceRegistryOptions } from './device-registry.options';
import { DevicesController } from './devices.controller';
import { GetDeviceUseCase } from './get-device/get-device.use-case';
import { ImportDevicesUseCase } from './import-devices/import-devices.use-case';
import { RegisterDeviceUseCase } from './register-device/register-device.use-case';
import { SearchDevicesUseCase } from './search-devices/search-devices.use-case';

export const DEVICE_REGISTRY_ENTITIES = [DeviceEntity, DeviceIdentifierEntity];

/** The outbox and inbox first, then the catalogue. */
export const DEVICE_REGISTRY_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreateDeviceCatalogue1767225600100,
  RecordGeneratedColumns1767225600101,
];

/** The device catalogue: its HTTP API, use cases and the outbox feeding the devices topic. */
@Module({})
export class DeviceRegistryModule {
  static forRoot(options: DeviceRegistryOptions): DynamicModule {
    return {
      module: DeviceRegistryModule,
      imports: [
        MessagingModule.forRoot({
          serviceName: options.serviceName,
          kafka: options.kafka,
          runRelay: options.runRelay ?? true,
          ownedTopics: [DEVICES_TOPIC],
        }),
      ],
      controllers: [DevicesController],
      providers: [
        { provide: DEVICE_REGISTRY_OPTIONS, useValue: options },
        { provide: DEVICE_CLOCK, useValue: systemClock },
        DeviceCatalogueRepository,
        ApplyDeviceChangesUseCase,
        RegisterDeviceUseCase,
        GetDeviceUseCase,
        SearchDevicesUseCase,
        ImportDevicesUseCase,
      ],
      exports: [ImportDevicesUseCase],
    };
  }
}
