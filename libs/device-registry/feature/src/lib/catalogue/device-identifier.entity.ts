import type { Relation } from 'typeorm';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import type { DeviceIdentifierType, IssuingAgency } from '@implant-trace/device-registry-domain';

import { DeviceEntity } from './device.entity';

/**
 * One identifier printed on some packaging level of a device. The identifier is the primary
 * key: the database itself guarantees that it resolves to exactly one device.
 */
@Entity({ name: 'device_identifiers' })
export class DeviceIdentifierEntity {
  @PrimaryColumn({ name: 'device_identifier', type: 'text' })
  deviceIdentifier!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ name: 'issuing_agency', type: 'text' })
  issuingAgency!: IssuingAgency;

  @Column({ type: 'text' })
  type!: DeviceIdentifierType;

  @Column({ name: 'quantity_per_package', type: 'integer', nullable: true })
  quantityPerPackage!: number | null;

  @ManyToOne(() => DeviceEntity, (device) => device.identifiers, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'device_id' })
  // Relation<> keeps the decorator metadata from naming DeviceEntity (a circular import).
  device!: Relation<DeviceEntity>;
}
