import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every identifier printed on any packaging level of a replicated device, so a scan of the
 * outer box, the unit of use or a previous identifier resolves to the same device.
 */
@Entity({ name: 'catalogue_identifiers' })
@Index('catalogue_identifiers_by_device', ['deviceId'])
export class CatalogueIdentifierEntity {
  @PrimaryColumn({ name: 'device_identifier', type: 'text' })
  deviceIdentifier!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;
}
