import { Inject, Injectable } from '@nestjs/common';

import type { DeviceRecord } from '@implant-trace/device-registry-domain';
import { DeviceNotFoundError } from '@implant-trace/device-registry-domain';
import { lookupFormOf } from '@implant-trace/udi';

import { DeviceCatalogueRepository } from '../catalogue/device-catalogue.repository';

/** A device by its id, or by any identifier printed on any of its packaging levels. */
@Injectable()
export class GetDeviceUseCase {
  constructor(
    @Inject(DeviceCatalogueRepository) private readonly catalogue: DeviceCatalogueRepository,
  ) {}

  async byId(deviceId: string): Promise<DeviceRecord> {
    return this.found(await this.catalogue.findById(deviceId), `No device ${deviceId}`);
  }

  async byIdentifier(deviceIdentifier: string): Promise<DeviceRecord> {
    return this.found(
      await this.catalogue.findByIdentifier(lookupFormOf(deviceIdentifier)),
      `No device has identifier ${deviceIdentifier}`,
    );
  }

  private found(record: DeviceRecord | undefined, detail: string): DeviceRecord {
    if (record === undefined) throw new DeviceNotFoundError(detail);
    return record;
  }
}
