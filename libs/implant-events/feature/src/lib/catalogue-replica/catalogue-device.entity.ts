import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { DeviceRecordValue } from '@implant-trace/contracts';

/** The newest revision of a catalogue device this service has seen, as published. */
@Entity({ name: 'catalogue_devices' })
export class CatalogueDeviceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'jsonb' })
  record!: DeviceRecordValue;
}
