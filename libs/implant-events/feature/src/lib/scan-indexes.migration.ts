import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue replica and the recall index the scan check reads. Its lookups: a device by any
 * identifier (primary key of catalogue_identifiers, then of catalogue_devices) and the open
 * recalls (a scan of recall_index, which holds one row per recall ever issued: tens a year).
 */
export class CreateScanIndexes1767225600200 implements MigrationInterface {
  name = 'CreateScanIndexes1767225600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalogue_devices (
        device_id uuid PRIMARY KEY,
        revision integer NOT NULL,
        record jsonb NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE catalogue_identifiers (
        device_identifier text PRIMARY KEY,
        device_id uuid NOT NULL
      )`);
    // Replacing a device's identifiers deletes those it no longer carries.
    await queryRunner.query(
      `CREATE INDEX catalogue_identifiers_by_device ON catalogue_identifiers (device_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE recall_index (
        recall_id uuid PRIMARY KEY,
        status text NOT NULL,
        changed_at timestamptz NOT NULL,
        recall jsonb
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE recall_index`);
    await queryRunner.query(`DROP TABLE catalogue_identifiers`);
    await queryRunner.query(`DROP TABLE catalogue_devices`);
  }
}
