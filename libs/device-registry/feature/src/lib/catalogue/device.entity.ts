import type { Relation } from 'typeorm';
import { Check, Column, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';

import type { MarketStatus, MriSafety } from '@implant-trace/device-registry-domain';

import { DeviceIdentifierEntity } from './device-identifier.entity';

/** The free-text search document; the database keeps it (a stored generated column). */
const SEARCH_VECTOR_EXPRESSION =
  "to_tsvector('simple'::regconfig, manufacturer || ' ' || brand || ' ' || " +
  "coalesce(model, '') || ' ' || coalesce(catalog_number, '') || ' ' || coalesce(description, ''))";

/**
 * One catalogue device. The constraints and indexes are the migrations' (named as they name
 * them) so that the schema check can compare entity and tables; the expression and GIN indexes
 * TypeORM cannot describe are declared unsynchronised.
 */
@Entity({ name: 'devices' })
@Check('devices_revision_check', 'revision >= 1')
@Check('devices_mri_safety_check', "mri_safety IN ('safe', 'conditional', 'unsafe', 'unknown')")
@Check('devices_status_check', "status IN ('on-market', 'withdrawn')")
@Index('devices_by_manufacturer', { synchronize: false })
@Index('devices_by_catalog_number', { synchronize: false })
@Index('devices_by_text', { synchronize: false })
export class DeviceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  manufacturer!: string;

  @Column({ type: 'text' })
  brand!: string;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ name: 'catalog_number', type: 'text', nullable: true })
  catalogNumber!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'gmdn_code', type: 'text', nullable: true })
  gmdnCode!: string | null;

  @Column({ type: 'boolean' })
  implantable!: boolean;

  @Column({ name: 'mri_safety', type: 'text' })
  mriSafety!: MriSafety;

  @Column({ name: 'label_lot_number', type: 'boolean' })
  labelLotNumber!: boolean;

  @Column({ name: 'label_serial_number', type: 'boolean' })
  labelSerialNumber!: boolean;

  @Column({ name: 'label_expiration_date', type: 'boolean' })
  labelExpirationDate!: boolean;

  @Column({ name: 'label_manufacture_date', type: 'boolean' })
  labelManufactureDate!: boolean;

  @Column({ type: 'text' })
  status!: MarketStatus;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({
    name: 'search_vector',
    type: 'tsvector',
    nullable: true,
    generatedType: 'STORED',
    asExpression: SEARCH_VECTOR_EXPRESSION,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;

  @OneToMany(() => DeviceIdentifierEntity, (identifier) => identifier.device)
  identifiers!: Relation<DeviceIdentifierEntity[]>;
}
