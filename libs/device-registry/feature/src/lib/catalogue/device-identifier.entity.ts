import type { Relation } from 'typeorm';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import type { DeviceIdentifierType, IssuingAgency } from '@implant-trace/device-registry-domain';

import { DeviceEntity } from './device.entity';

/**
 * One identifier printed on some packaging level of a device. The identifier is the primary
 * key: the database itself guarantees that it resolves to exactly one device.
 */
@Entity({ name: 'device_identifiers' })
@Check('device_identifiers_issuing_agency_check', "issuing_agency IN ('GS1', 'HIBCC', 'ICCBBA')")
@Check(
  'device_identifiers_type_check',
  "type IN ('primary', 'package', 'unit-of-use', 'direct-marking', 'secondary', 'previous')",
)
@Check('device_identifiers_quantity_per_package_check', 'quantity_per_package >= 1')
@Index('device_identifiers_by_device', ['deviceId'])
@Index('device_identifiers_one_primary', ['deviceId'], { unique: true, where: "type = 'primary'" })
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
  @JoinColumn({ name: 'device_id', foreignKeyConstraintName: 'device_identifiers_device_id_fkey' })
  // Relation<> keeps the decorator metadata from naming DeviceEntity (a circular import).
  device!: Relation<DeviceEntity>;
}
