import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every identifier each device record lists, one row each, for a recall's devices by
 * identifier. The GIN index on catalogue_devices.identifiers it replaces was never chosen by the
 * planner (an array overlap is estimated poorly), so a recall read the catalogue whole. Unlike
 * catalogue_identifiers (one owner per identifier, for resolving a scan), a record keeps here
 * an identifier another record has since claimed: criteria select by the record's own list.
 */
export class CatalogueRecordIdentifiers1767225600420 implements MigrationInterface {
  name = 'CatalogueRecordIdentifiers1767225600420';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalogue_record_identifiers (
        device_identifier text NOT NULL,
        device_id uuid NOT NULL,
        PRIMARY KEY (device_identifier, device_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX catalogue_record_identifiers_by_device ON catalogue_record_identifiers (device_id)`,
    );
    await queryRunner.query(`
      INSERT INTO catalogue_record_identifiers (device_identifier, device_id)
      SELECT DISTINCT unnest(identifiers), device_id FROM catalogue_devices`);
    await queryRunner.query(`DROP INDEX catalogue_devices_by_identifiers`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX catalogue_devices_by_identifiers ON catalogue_devices USING gin (identifiers)`,
    );
    await queryRunner.query(`DROP TABLE catalogue_record_identifiers`);
  }
}
