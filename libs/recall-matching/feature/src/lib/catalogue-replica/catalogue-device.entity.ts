import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { DeviceRecordValue } from '@implant-trace/contracts';

/**
 * The newest revision of a catalogue device this service has seen, with the attributes a
 * recall's criteria select by, normalised (`normaliseName`) so the SQL compares them exactly.
 */
@Entity({ name: 'catalogue_devices' })
@Index('catalogue_devices_by_catalog_number', ['catalogNumberKey'])
@Index('catalogue_devices_by_manufacturer_model', ['manufacturerKey', 'modelKey'])
export class CatalogueDeviceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'jsonb' })
  record!: DeviceRecordValue;

  @Column({ type: 'text', array: true })
  identifiers!: string[];

  @Column({ name: 'catalog_number_key', type: 'text', nullable: true })
  catalogNumberKey!: string | null;

  @Column({ name: 'manufacturer_key', type: 'text', nullable: true })
  manufacturerKey!: string | null;

  @Column({ name: 'model_key', type: 'text', nullable: true })
  modelKey!: string | null;
}
