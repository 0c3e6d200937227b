import { Entity, Index, PrimaryColumn } from 'typeorm';

/** One identifier a device record lists (any packaging level), for criteria by identifier. */
@Entity({ name: 'catalogue_record_identifiers' })
@Index('catalogue_record_identifiers_by_device', ['deviceId'])
export class CatalogueRecordIdentifierEntity {
  @PrimaryColumn({ name: 'device_identifier', type: 'text' })
  deviceIdentifier!: string;

  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;
}
