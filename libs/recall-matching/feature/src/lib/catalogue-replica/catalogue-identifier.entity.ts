import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Which device an identifier printed on any packaging level resolves to. */
@Entity({ name: 'catalogue_identifiers' })
@Index('catalogue_identifiers_by_device', ['deviceId'])
export class CatalogueIdentifierEntity {
  @PrimaryColumn({ name: 'device_identifier', type: 'text' })
  deviceIdentifier!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;
}
